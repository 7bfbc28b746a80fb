/**
 * Formulas of derived indicators: arithmetic over other indicators of the same plan, as a plan
 * author writes them ("mean(the-cccd, vneid-activated)", "(a + b) / 2"). A hyphen inside a name
 * is part of the name, so a minus sign needs spaces around it. Written here rather than taken
 * from an expression library because the grammar is five rules and must refuse everything else.
 */

export type FormulaNode =
  | { kind: 'number'; value: number }
  | { kind: 'ref'; id: string }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: FormulaNode; right: FormulaNode }
  | { kind: 'call'; fn: 'min' | 'max' | 'mean'; args: FormulaNode[] };

export class FormulaError extends Error {}

const FUNCTIONS = new Set(['min', 'max', 'mean']);

function tokenise(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:([a-z][a-z0-9-]*[a-z0-9]|[a-z])|(\d+(?:\.\d+)?)|([-+*/(),]))/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (!match) throw new FormulaError(`Không hiểu "${text.slice(index).trim().slice(0, 12)}" ở vị trí ${index + 1}`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
    index = pattern.lastIndex;
  }
  return tokens;
}

export function parseFormula(text: string): FormulaNode {
  const tokens = tokenise(text);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined) throw new FormulaError('Công thức kết thúc giữa chừng');
    if (expected !== undefined && token !== expected) throw new FormulaError(`Cần "${expected}" nhưng gặp "${token}"`);
    return token;
  };
  const expression = (): FormulaNode => {
    let node = term();
    while (peek() === '+' || peek() === '-') node = { kind: 'binary', op: take() as '+' | '-', left: node, right: term() };
    return node;
  };
  const term = (): FormulaNode => {
    let node = factor();
    while (peek() === '*' || peek() === '/') node = { kind: 'binary', op: take() as '*' | '/', left: node, right: factor() };
    return node;
  };
  const factor = (): FormulaNode => {
    const token = take();
    if (token === '(') {
      const node = expression();
      take(')');
      return node;
    }
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[a-z]/.test(token)) {
      if (peek() !== '(') return { kind: 'ref', id: token };
      if (!FUNCTIONS.has(token)) throw new FormulaError(`Không có hàm "${token}"; chỉ có min, max, mean`);
      take('(');
      const args = [expression()];
      while (peek() === ',') {
        take(',');
        args.push(expression());
      }
      take(')');
      return { kind: 'call', fn: token as 'min' | 'max' | 'mean', args };
    }
    throw new FormulaError(`Không mong gặp "${token}"`);
  };
  const node = expression();
  if (at < tokens.length) throw new FormulaError(`Thừa "${tokens[at]}" ở cuối công thức`);
  return node;
}

export function formulaRefs(node: FormulaNode, into = new Set<string>()): Set<string> {
  if (node.kind === 'ref') into.add(node.id);
  else if (node.kind === 'binary') {
    formulaRefs(node.left, into);
    formulaRefs(node.right, into);
  } else if (node.kind === 'call') for (const arg of node.args) formulaRefs(arg, into);
  return into;
}

/** null when any indicator it uses has no figure yet, or on division by zero: no figure is better than a wrong one. */
export function evaluateFormula(node: FormulaNode, values: (id: string) => number | null): number | null {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'ref':
      return values(node.id);
    case 'binary': {
      const left = evaluateFormula(node.left, values);
      const right = evaluateFormula(node.right, values);
      if (left === null || right === null) return null;
      if (node.op === '+') return left + right;
      if (node.op === '-') return left - right;
      if (node.op === '*') return left * right;
      return right === 0 ? null : left / right;
    }
    case 'call': {
      const args = node.args.map((arg) => evaluateFormula(arg, values));
      if (args.some((a) => a === null)) return null;
      const numbers = args as number[];
      if (node.fn === 'min') return Math.min(...numbers);
      if (node.fn === 'max') return Math.max(...numbers);
      return numbers.reduce((sum, n) => sum + n, 0) / numbers.length;
    }
  }
}
