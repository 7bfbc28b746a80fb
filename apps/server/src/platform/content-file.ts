import { basename } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** A content file (plan, course) that does not pass its schema: each problem names file, line, path and reason. */
export class ContentFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses YAML and checks it against a schema. Each problem names the line, the path inside the
 * file and the reason, in Vietnamese ("hcmc-2026.yaml dòng 42 (indicators.3.target): Chỉ tiêu
 * phần trăm không quá 100"), because the people who edit plans and courses are not programmers.
 * `firstLine` shifts line numbers for YAML that starts further down a file (a lesson's front matter).
 */
export function parseYamlFile<T extends z.ZodType>(file: string, text: string, schema: T, firstLine = 1): z.output<T> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = (offset: number | undefined) => (offset === undefined ? '' : ` dòng ${lineCounter.linePos(offset).line + firstLine - 1}`);
  if (document.errors.length > 0) {
    throw new ContentFileError(file, document.errors.map((e) => `${basename(file)}${where(e.pos[0])}: YAML sai: ${e.message.split('\n')[0]}`));
  }
  const parsed = schema.safeParse(document.toJS());
  if (parsed.success) return parsed.data;
  throw new ContentFileError(
    file,
    parsed.error.issues.map((issue) => {
      // The nearest node that exists gives the line: a missing field points at its parent.
      let path = [...issue.path];
      let node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
      while (!node?.range && path.length > 0) {
        path = path.slice(0, -1);
        node = document.getIn(path, true) as { range?: [number, number, number] } | undefined;
      }
      return `${basename(file)}${where(node?.range?.[0])} (${issue.path.join('.') || 'gốc'}): ${issue.message}`;
    }),
  );
}
