export type ElementName = 'identity' | 'device' | 'accounts' | 'skills';
export type ElementStateName = 'met' | 'partial' | 'missing' | 'unknown' | 'not_applicable';

export type IndicatorDef = {
  name: string;
  element: ElementName;
  /** The values a fact may carry, in the order a form offers them. */
  values: readonly string[];
};

const yesNo = ['true', 'false'] as const;

/** The city's four core elements and the indicators that make each one up (KH 2026 of HCMC). */
export const INDICATORS: readonly IndicatorDef[] = [
  { name: 'citizen_id_card', element: 'identity', values: yesNo },
  { name: 'vneid', element: 'identity', values: ['none', 'issued', 'level1', 'level2'] },
  { name: 'smartphone', element: 'device', values: yesNo },
  { name: 'phone_2g_only', element: 'device', values: yesNo },
  { name: 'epayment_account', element: 'accounts', values: yesNo },
  { name: 'public_service_account', element: 'accounts', values: yesNo },
  { name: 'social_insurance_vneid', element: 'accounts', values: yesNo },
  { name: 'vssid_installed', element: 'accounts', values: yesNo },
  { name: 'etax_account', element: 'accounts', values: yesNo },
  { name: 'digital_signature', element: 'accounts', values: yesNo },
  { name: 'health_record_updated', element: 'accounts', values: yesNo },
  { name: 'basic_skills_trained', element: 'skills', values: yesNo },
  { name: 'city_app_installed', element: 'skills', values: yesNo },
  { name: 'digital_literacy_certified', element: 'skills', values: yesNo },
];

export const ELEMENTS: readonly ElementName[] = ['identity', 'device', 'accounts', 'skills'];

export function indicatorDef(name: string): IndicatorDef | undefined {
  return INDICATORS.find((i) => i.name === name);
}

/** The dictionary prefix for an indicator's value: yes/no values share one set of labels. */
export function valueLabelPrefix(indicator: string): string {
  return indicator === 'vneid' ? 'value.vneid' : 'value.bool';
}
