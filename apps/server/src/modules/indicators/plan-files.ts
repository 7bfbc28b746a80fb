import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlanFile } from '@cds/contract';
import { LineCounter, parseDocument } from 'yaml';

/** The plans shipped with the platform; a deployment may point CDS_PLANS_DIR elsewhere. */
export const BUNDLED_PLANS_DIR = fileURLToPath(new URL('../../../../../content/plans/', import.meta.url));

export class PlanFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads one plan file and checks it against the schema. Each problem names the line, the path
 * inside the file and the reason, in Vietnamese ("hcmc-2026.yaml dòng 42 (indicators.3.target):
 * Chỉ tiêu phần trăm không quá 100"), because the people who edit plans are not programmers.
 */
export function parsePlanFile(file: string, text: string): PlanFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = (offset: number | undefined) => (offset === undefined ? '' : ` dòng ${lineCounter.linePos(offset).line}`);
  if (document.errors.length > 0) {
    throw new PlanFileError(file, document.errors.map((e) => `${basename(file)}${where(e.pos[0])}: YAML sai: ${e.message.split('\n')[0]}`));
  }
  const parsed = PlanFile.safeParse(document.toJS());
  if (parsed.success) return parsed.data;
  throw new PlanFileError(
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

/** Every *.yaml in the folder, by id; two files with one id, or a file named unlike its id, are refused. */
export async function loadPlanFiles(dir: string): Promise<Map<string, PlanFile>> {
  const plans = new Map<string, PlanFile>();
  const problems: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const file = join(dir, name);
    try {
      const plan = parsePlanFile(file, await readFile(file, 'utf8'));
      if (plans.has(plan.id)) problems.push(`${name}: mã kế hoạch "${plan.id}" đã có ở tệp khác`);
      else if (name.replace(/\.ya?ml$/, '') !== plan.id) problems.push(`${name}: tên tệp phải là ${plan.id}.yaml`);
      else plans.set(plan.id, plan);
    } catch (error) {
      if (!(error instanceof PlanFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new PlanFileError(dir, problems);
  return plans;
}
