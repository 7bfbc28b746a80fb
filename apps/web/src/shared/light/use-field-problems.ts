import { useCallback, useMemo, useState, type FormEvent } from 'react';

interface State<P> {
  reported: P;
  /** Fields changed since the messages were set: their messages are hidden. */
  sinceReport: ReadonlySet<string>;
  /** Fields changed since the form was last sent: the server's messages about them are hidden. */
  sinceSent: ReadonlySet<string>;
}

const add = (fields: ReadonlySet<string>, field: string) => (fields.has(field) ? fields : new Set(fields).add(field));

/**
 * A form's messages, field by field. They are set when the form is sent, and each one goes as
 * soon as the person changes its field: it was about the value they have just replaced, and
 * leaving it until the next send tells them the new value is wrong too.
 *
 * The form's `onChange` hears every control inside it (React's change events bubble), and each
 * control names its field with its `name`, so controls need no handler of their own. A control
 * that fires no change event (a signature pad) calls `changed(field)` itself, as does a control
 * whose value a message under another field is about (a start date, for "ends before it starts").
 *
 * `report(found)` with no problems means the form is being sent: only then do the server's
 * messages about changed fields (see `isChanged`) show again, for the new answer.
 *
 *   const form = useFieldProblems<Partial<Record<'name' | 'day', string>>>();
 *   <form onChange={form.onChange} onSubmit={() => form.report(check())}>
 *     <input name="day" aria-invalid={Boolean(form.problems.day)} />
 */
export function useFieldProblems<P extends Partial<Record<string, unknown>>>() {
  const [state, setState] = useState<State<P>>(() => ({ reported: {} as P, sinceReport: new Set(), sinceSent: new Set() }));

  const report = useCallback((found: P) => {
    const sending = Object.keys(found).length === 0;
    setState((s) => ({ reported: found, sinceReport: new Set(), sinceSent: sending ? new Set() : s.sinceSent }));
  }, []);
  /** `onlyIf`: for a message under another field, hide it only when it is the one about this change. */
  const changed = useCallback(<F extends Extract<keyof P, string>>(field: F, onlyIf?: (message: P[F]) => boolean) => {
    setState((s) => {
      if (onlyIf && !onlyIf(s.reported[field])) return s;
      const sinceReport = add(s.sinceReport, field);
      const sinceSent = add(s.sinceSent, field);
      return sinceReport === s.sinceReport && sinceSent === s.sinceSent ? s : { ...s, sinceReport, sinceSent };
    });
  }, []);
  const onChange = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      const { name } = e.target as { name?: unknown };
      if (typeof name === 'string' && name !== '') changed(name as Extract<keyof P, string>);
    },
    [changed],
  );
  const problems = useMemo(
    () => Object.fromEntries(Object.entries(state.reported).filter(([field]) => !state.sinceReport.has(field))) as P,
    [state.reported, state.sinceReport],
  );

  return {
    /** The messages still standing: those of fields not changed since they were set. */
    problems,
    report,
    onChange,
    changed,
    /** For the server's messages: whether the field has changed since the form was last sent. */
    isChanged: (field: Extract<keyof P, string>) => state.sinceSent.has(field),
  };
}
