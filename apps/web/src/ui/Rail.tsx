import type { ViewCounts } from '../tasks/useViewCounts';
import { type ViewId, VIEWS } from '../tasks/views';

function RailItem({
  id,
  label,
  count,
  current,
  onView,
}: {
  id: ViewId;
  label: string;
  count?: string;
  current: boolean;
  onView(view: ViewId): void;
}) {
  return (
    <li>
      <button
        className={`rail-item${current ? ' current' : ''}`}
        aria-current={current ? 'page' : undefined}
        onClick={() => onView(id)}
      >
        <span>{label}</span>
        {count !== undefined && <span className="count">{count}</span>}
      </button>
    </li>
  );
}

/** The left rail of wide screens: the views with their counts, and one view per tag. */
export function Rail({
  view,
  counts,
  onView,
}: {
  view: ViewId;
  counts: ViewCounts;
  onView(view: ViewId): void;
}) {
  return (
    <nav className="rail" aria-label="Views">
      <ul className="plain-list">
        {VIEWS.map((entry) => (
          <RailItem
            key={entry.id}
            id={entry.id}
            label={entry.label}
            count={counts[entry.id]}
            current={view === entry.id}
            onView={onView}
          />
        ))}
      </ul>
      {counts.tags.length > 0 && (
        <>
          <h2 className="rail-heading">Tags</h2>
          <ul className="plain-list">
            {counts.tags.map((tag) => (
              <RailItem
                key={tag}
                id={`tag:${tag}`}
                label={`#${tag}`}
                current={view === `tag:${tag}`}
                onView={onView}
              />
            ))}
          </ul>
        </>
      )}
    </nav>
  );
}
