import { useCallback, useMemo, useState, type FormEvent } from 'react';

/**
 * A form's messages, field by field. They are set when the form is sent, and each one goes as
 * soon as the person changes its field: it was about the value they have just replaced, and
 * leaving it until the next send tells them the new value is wrong too.
 *
 * The form's `onChange` hears every control inside it (React's change events bubble), and each
 * control names its field with its `name`, so controls need no handler of their own. A control
 * that fires no change event (a signature pad) calls `changed(field)` itself.
 *
 *   const form = useFieldProblems<Partial<Record<'name' | 'day', string>>>();
 *   <form onChange={form.onChange} onSubmit={() => form.report(check())}>
 *     <input name="day" aria-invalid={Boolean(form.problems.day)} />
 */
export function useFieldProblems<P extends Partial<Record<string, unknown>>>() {
  const [reported, setReported] = useState<P>({} as P);
  // Changed since the last send; cleared by report(), so the server's answer to that send shows in full.
  const [changedFields, setChangedFields] = useState<ReadonlySet<string>>(() => new Set());

  const report = useCallback((found: P) => {
    setReported(found);
    setChangedFields(new Set());
  }, []);
  const changed = useCallback((field: string) => {
    setChangedFields((fields) => (fields.has(field) ? fields : new Set(fields).add(field)));
  }, []);
  const onChange = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      const { name } = e.target as { name?: unknown };
      if (typeof name === 'string' && name !== '') changed(name);
    },
    [changed],
  );
  const problems = useMemo(
    () => Object.fromEntries(Object.entries(reported).filter(([field]) => !changedFields.has(field))) as P,
    [reported, changedFields],
  );

  return {
    /** The messages still standing: those of fields not changed since the form was sent. */
    problems,
    report,
    onChange,
    changed,
    /** For messages kept elsewhere (the server's answer): whether the field has changed since. */
    isChanged: (field: Extract<keyof P, string>) => changedFields.has(field),
  };
}
