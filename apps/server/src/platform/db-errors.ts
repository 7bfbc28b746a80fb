/** The PostgreSQL error code of a failed query, looking through Drizzle's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown }).code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  const cause = (error as { cause?: { constraint?: unknown } }).cause ?? (error as { constraint?: unknown });
  const constraint = (cause as { constraint?: unknown }).constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

export const isUniqueViolation = (error: unknown) => pgErrorCode(error) === '23505';
