import type { PriorityReason } from '@cds/contract';
import type { MessageKey } from '../../shared/i18n/dictionary-vi';

/** What a form found wrong, per field: a dictionary key (and its parameters), shown under the field. */
export type Problems<F extends string> = Partial<Record<F, { key: MessageKey; params?: Record<string, string | number> }>>;

/**
 * A score's reasons as a person reads them: the largest first, each with its points
 * ("Hộ nghèo +30"), and the total they add up to. `name` gives each rule's words in the reader's
 * language (the server's Vietnamese label when the dictionary has none).
 */
export function scoreReasons(
  reasons: readonly PriorityReason[],
  name: (r: PriorityReason) => string,
): { total: number; parts: Array<{ code: string; text: string; points: number }> } {
  const parts = [...reasons]
    .sort((a, b) => b.points - a.points || a.code.localeCompare(b.code))
    .map((r) => ({ code: r.code, points: r.points, text: `${name(r)} ${r.points >= 0 ? '+' : '−'}${Math.abs(r.points)}` }));
  return { total: reasons.reduce((s, r) => s + r.points, 0), parts };
}

/** The reasons in one line, for a tooltip or a spreadsheet cell. */
export function reasonsLine(reasons: readonly PriorityReason[], name: (r: PriorityReason) => string, none: string): string {
  const { parts } = scoreReasons(reasons, name);
  return parts.length === 0 ? none : parts.map((p) => p.text).join(' · ');
}

/** A whole number typed by a person, with the thousands dots or spaces Vietnamese write ("1.500.000"). */
export function parseWhole(text: string): number | null {
  const cleaned = text.trim().replace(/[\s.,]/g, '');
  if (!/^\d+$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isSafeInteger(n) ? n : null;
}

/** Devices a money pledge funds: the amount over the subsidy per device, rounded down. */
export function devicesFunded(amount: number | null, subsidy: number | null): number | null {
  if (amount === null || subsidy === null || subsidy <= 0) return null;
  return Math.floor(amount / subsidy);
}

export type PledgeForm = {
  kind: 'device' | 'money';
  model: string;
  network: '4g' | '5g';
  quantity: string;
  amount: string;
  subsidy: string;
  deliveryPlace: string;
};
export type PledgeField = 'model' | 'quantity' | 'amount' | 'subsidy' | 'deliveryPlace';

/** The pledge form's own checks, in the server's words; the server checks again. */
export function validatePledge(f: PledgeForm): Problems<PledgeField> {
  const e: Problems<PledgeField> = {};
  if (f.kind === 'device') {
    const model = f.model.trim();
    if (model.length < 2) e.model = { key: 'dsPledge.modelRequired' };
    else if (model.length > 120) e.model = { key: 'dsPledge.modelLong' };
    const q = parseWhole(f.quantity);
    if (q === null) e.quantity = { key: 'dsPledge.quantityWhole' };
    else if (q < 1) e.quantity = { key: 'dsPledge.quantityMin' };
    else if (q > 100000) e.quantity = { key: 'dsPledge.quantityMax' };
  } else {
    const amount = parseWhole(f.amount);
    const subsidy = parseWhole(f.subsidy);
    if (amount === null || amount <= 0) e.amount = { key: 'dsPledge.amountInvalid' };
    else if (amount > 1e12) e.amount = { key: 'dsPledge.amountMax' };
    if (subsidy === null || subsidy <= 0) e.subsidy = { key: 'dsPledge.subsidyInvalid' };
    else if (amount !== null && amount > 0 && subsidy > amount) e.subsidy = { key: 'dsPledge.subsidyAboveAmount' };
  }
  if (f.deliveryPlace.trim().length > 300) e.deliveryPlace = { key: 'dsPledge.placeLong' };
  return e;
}

/** A six-digit one-time code as typed: digits only, at most six. */
export function cleanCode(text: string): string {
  return text.replace(/\D/g, '').slice(0, 6);
}


// ── Priority rules (PUT /api/devices/priority-rules/:code) ──────────────────────────────────

/** The bounds PriorityRuleUpdate sets on a rule (packages/contract/src/devices.ts). */
export const RULE_POINTS_MAX = 100;
export const RULE_LABEL_MIN = 2;
export const RULE_LABEL_MAX = 120;

/** As ELDERLY_ALONE_AGE and PRIORITY_CODES in @cds/domain (device-rules.test.ts keeps them equal); copied so the page does not load that package. */
export const ELDERLY_ALONE_AGE = 70;
export const PRIORITY_ORDER = ['poor', 'near_poor', 'elderly_alone', 'disability', 'pupil', 'single_parent'] as const;

/** The rules in the order the city reads them (the server sends them by code). */
export function inRuleOrder<R extends { code: string }>(rules: readonly R[]): R[] {
  const at = (code: string) => {
    const i = (PRIORITY_ORDER as readonly string[]).indexOf(code);
    return i < 0 ? PRIORITY_ORDER.length : i;
  };
  return [...rules].sort((a, b) => at(a.code) - at(b.code) || a.code.localeCompare(b.code));
}

export type RuleForm = { points: string; active: boolean; label: string };
export type RuleField = 'points' | 'label';

/** The rule form's own checks, mirroring the contract's; the server checks again. */
export function validateRule(f: RuleForm): Problems<RuleField> {
  const e: Problems<RuleField> = {};
  const points = f.points.trim();
  if (points === '') e.points = { key: 'dsRules.pointsRequired' };
  else if (/^-\s*\d+([.,]\d+)?$/.test(points)) e.points = { key: 'dsRules.pointsNegative' };
  else if (/^\d+[.,]\d+$/.test(points)) e.points = { key: 'dsRules.pointsWhole' };
  else if (!/^\d+$/.test(points)) e.points = { key: 'dsRules.pointsNumber' };
  else if (Number(points) > RULE_POINTS_MAX) e.points = { key: 'dsRules.pointsMax', params: { max: RULE_POINTS_MAX } };
  const label = f.label.trim();
  if (label.length < RULE_LABEL_MIN) e.label = { key: 'dsRules.labelShort', params: { min: RULE_LABEL_MIN } };
  else if (label.length > RULE_LABEL_MAX) e.label = { key: 'dsRules.labelLong', params: { max: RULE_LABEL_MAX } };
  return e;
}

/** What to send for a valid form: the label only when it changed, so an untouched one stays as it is. */
export function ruleBody(f: RuleForm, currentLabel: string): { points: number; active: boolean; label?: string } {
  const label = f.label.trim();
  return { points: Number(f.points.trim()), active: f.active, ...(label !== currentLabel ? { label } : {}) };
}

/**
 * The highest score a household can reach under the rules: every active rule with points counts,
 * except that poor and near-poor exclude each other (a household is on one list or the other).
 */
export function highestScore(rules: ReadonlyArray<{ code: string; points: number; active: boolean }>): number {
  const counted = (code: string) => {
    const r = rules.find((x) => x.code === code);
    return r && r.active && r.points > 0 ? r.points : 0;
  };
  const others = rules.filter((r) => r.code !== 'poor' && r.code !== 'near_poor').reduce((s, r) => s + counted(r.code), 0);
  return others + Math.max(counted('poor'), counted('near_poor'));
}

/** Whether the city may still withdraw a pledge: only an open one no unit has received devices from. */
export function pledgeCancellable(p: { status: 'open' | 'cancelled'; received: number }): 'yes' | 'received' | 'cancelled' {
  if (p.status === 'cancelled') return 'cancelled';
  return p.received > 0 ? 'received' : 'yes';
}
