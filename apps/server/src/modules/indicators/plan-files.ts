import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlanFile } from '@cds/contract';
import { ContentFileError, parseYamlFile } from '../../platform/content-file.ts';

/** The plans shipped with the platform; a deployment may point CDS_PLANS_DIR elsewhere. */
export const BUNDLED_PLANS_DIR = fileURLToPath(new URL('../../../../../content/plans/', import.meta.url));

export function parsePlanFile(file: string, text: string): PlanFile {
  return parseYamlFile(file, text, PlanFile);
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
      if (!(error instanceof ContentFileError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ContentFileError(dir, problems);
  return plans;
}
