import { describe, expect, it } from 'vitest';
import { defaultPlan } from './plan-toolbar';

describe('the plan a page opens on', () => {
  it("is the reader's own city's plan, even when a national plan comes first", () => {
    expect(defaultPlan([{ id: 'vn-2022', province: null }, { id: 'hcmc-2026', province: '79' }])?.id).toBe('hcmc-2026');
  });

  it('is the first national plan when the city has none of its own, and none when nothing is listed', () => {
    expect(defaultPlan([{ id: 'vn-2022', province: null }, { id: 'vn-2025', province: null }])?.id).toBe('vn-2022');
    expect(defaultPlan([])).toBeUndefined();
    expect(defaultPlan(undefined)).toBeUndefined();
  });
});
