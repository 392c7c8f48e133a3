import { forwardRef, useState } from 'react';
import { type Filters, NO_FILTERS } from './views';

const PRIORITY_OPTIONS = ['urgent', 'high', 'medium', 'low'] as const;

/** Search (press /) and the filters: status, priority, tags, due range, overdue, sort. */
export const FilterBar = forwardRef<HTMLInputElement, { filters: Filters; onChange(filters: Filters): void }>(
  function FilterBar({ filters, onChange }, ref) {
    const [open, setOpen] = useState(false);
    const [search, setSearch] = useState(filters.q);
    const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
    const active =
      filters.priority.length +
      filters.tags.length +
      (filters.due_from ? 1 : 0) +
      (filters.due_to ? 1 : 0) +
      (filters.overdue ? 1 : 0) +
      (filters.status !== 'pending' ? 1 : 0);
    return (
      <div className="filter-bar">
        <div className="filter-row">
          <input
            ref={ref}
            type="search"
            className="search"
            value={search}
            placeholder="Search tasks  ( / )"
            aria-label="Search tasks (press /)"
            onChange={(event) => {
              setSearch(event.target.value);
              set({ q: event.target.value });
            }}
          />
          <label className="sort">
            <span className="visually-hidden">Sort by</span>
            <select
              value={filters.sort}
              onChange={(event) => set({ sort: event.target.value as Filters['sort'] })}
            >
              <option value="due">Sort: due date</option>
              <option value="priority">Sort: priority</option>
              <option value="title">Sort: title</option>
              <option value="created">Sort: newest</option>
              <option value="updated">Sort: recently changed</option>
            </select>
          </label>
          <button aria-expanded={open} aria-controls="filter-panel" onClick={() => setOpen(!open)}>
            Filters{active ? ` (${active})` : ''}
          </button>
        </div>
        {open && (
          <div id="filter-panel" className="filter-panel" role="group" aria-label="Filters">
            <label>
              Status
              <select
                value={filters.status}
                onChange={(event) => set({ status: event.target.value as Filters['status'] })}
              >
                <option value="pending">Open</option>
                <option value="completed">Completed</option>
                <option value="all">All</option>
              </select>
            </label>
            <fieldset className="inline-fieldset">
              <legend>Priority</legend>
              {PRIORITY_OPTIONS.map((priority) => (
                <label key={priority} className="checkbox">
                  <input
                    type="checkbox"
                    checked={filters.priority.includes(priority)}
                    onChange={(event) =>
                      set({
                        priority: event.target.checked
                          ? [...filters.priority, priority]
                          : filters.priority.filter((value) => value !== priority),
                      })
                    }
                  />
                  {priority}
                </label>
              ))}
            </fieldset>
            <label>
              Tags
              <input
                value={filters.tags.join(', ')}
                placeholder="work, home"
                onChange={(event) =>
                  set({
                    tags: event.target.value
                      .split(/[,\s]+/)
                      .map((tag) => tag.replace(/^#/, '').toLowerCase())
                      .filter(Boolean),
                  })
                }
              />
            </label>
            <label>
              Due from
              <input
                type="date"
                value={filters.due_from}
                onChange={(event) => set({ due_from: event.target.value })}
              />
            </label>
            <label>
              Due to
              <input
                type="date"
                value={filters.due_to}
                onChange={(event) => set({ due_to: event.target.value })}
              />
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={filters.overdue}
                onChange={(event) => set({ overdue: event.target.checked })}
              />
              Overdue only
            </label>
            <button
              onClick={() => {
                setSearch('');
                onChange(NO_FILTERS);
              }}
            >
              Clear filters
            </button>
          </div>
        )}
      </div>
    );
  },
);
