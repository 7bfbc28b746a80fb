/** A LIKE pattern finding `key` anywhere, with LIKE's own characters taken literally. */
export const containsPattern = (key: string): string => `%${key.replace(/[%_\\]/g, '\\$&')}%`;
