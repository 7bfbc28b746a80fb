/** Where each dashboard page of a plan lives; pages add ?asOf= (and ?unit=, ?neighbourhood=) themselves. */
export const planPath = (planId: string) => `/plans/${encodeURIComponent(planId)}`;
export const planUnitPath = (planId: string, code: string) => `${planPath(planId)}/units/${encodeURIComponent(code)}`;
export const planIndicatorPath = (planId: string, indicatorId: string) => `${planPath(planId)}/indicators/${encodeURIComponent(indicatorId)}`;
