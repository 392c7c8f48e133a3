import { reminderInputSchema } from './reminder-input';

const issues = (input: unknown) => {
  const result = reminderInputSchema.safeParse(input);
  if (result.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
};

describe('reminderInputSchema', () => {
  it('takes an offset before the due, normalized', () => {
    expect(reminderInputSchema.parse({ before: 'pt1h' })).toEqual({
      trigger: { before: 'PT1H' },
      allowPast: false,
    });
  });

  it('takes an RFC 3339 time with offset', () => {
    expect(reminderInputSchema.parse({ at: '2026-11-24T17:00:00-05:00', allow_past: true })).toEqual({
      trigger: { at: new Date('2026-11-24T22:00:00Z') },
      allowPast: true,
    });
    expect(reminderInputSchema.parse({ at: '2026-11-24T22:00Z' }).trigger).toEqual({
      at: new Date('2026-11-24T22:00:00Z'),
    });
  });

  it('needs exactly one of before and at', () => {
    const message = 'send either "before" (e.g. "PT1H") or "at" (an RFC 3339 time)';
    expect(issues({})).toEqual([{ path: '', message }]);
    expect(issues({ allow_past: true })).toEqual([{ path: '', message }]);
    expect(issues({ before: 'PT1H', at: '2026-11-24T22:00:00Z' })).toEqual([
      { path: '', message: `${message}, not both` },
    ]);
  });

  it('explains a bad offset on its field', () => {
    expect(issues({ before: 'P1M' })).toEqual([
      {
        path: 'before',
        message: 'months and years are ambiguous; use days or weeks, e.g. P30D (PT30M is 30 minutes)',
      },
    ]);
    expect(issues({ before: 60 })).toEqual([{ path: 'before', message: 'must be text, e.g. "PT1H"' }]);
  });

  it.each(['2026-11-24T17:00:00', '2026-11-24', 'tomorrow', '2026-02-30T10:00:00Z', '2026-11-24 17:00Z'])(
    'rejects at %j with an example',
    (text) => {
      expect(issues({ at: text })).toEqual([
        { path: 'at', message: 'must be an RFC 3339 time with offset, e.g. "2026-11-24T17:00:00-05:00"' },
      ]);
    },
  );

  it('rejects unknown fields and a non-boolean allow_past', () => {
    expect(issues({ before: 'PT1H', offset: 'PT1H' })).toEqual([
      { path: '', message: expect.stringMatching(/offset/) },
    ]);
    expect(issues({ before: 'PT1H', allow_past: 'yes' })).toEqual([
      { path: 'allow_past', message: 'must be true or false' },
    ]);
  });

  it('rejects a body that is not an object', () => {
    expect(issues('PT1H')).toEqual([
      {
        path: '',
        message: 'must be an object; send either "before" (e.g. "PT1H") or "at" (an RFC 3339 time)',
      },
    ]);
  });
});
