// axe-core in the page under test: the WCAG 2.0 and 2.1 A and AA rules it knows.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The rules broken on the page as it is now, each with the elements that break it. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Strings, not functions: this file is type-checked for Node, without the DOM's types.
  if (!(await page.evaluate("'axe' in window"))) await page.addScriptTag({ content: AXE });
  return (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((result) => result.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[];
}

/** No WCAG 2 A or AA violation; the list of what failed is the assertion's message. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  expect(violations, `${where}: ${violations.join('\n')}`).toEqual([]);
}
