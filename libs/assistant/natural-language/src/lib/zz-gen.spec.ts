import { readFileSync, writeFileSync } from 'node:fs';
import { interpret } from './interpret';
it('gen', () => {
  const out: string[] = [];
  for (const line of readFileSync('/tmp/single.txt', 'utf8').split('\n').filter(Boolean)) {
    const [tz, now, say] = line.split('|');
    const r = interpret(say, { now, timeZone: tz });
    out.push(
      JSON.stringify(
        r.question ? { say, now, tz, calls: [], question: true } : { say, now, tz, calls: r.tool_calls },
      ) + (r.question ? `  // Q: ${r.question}` : ''),
    );
  }
  writeFileSync('/tmp/single.out', out.join('\n') + '\n');
});
