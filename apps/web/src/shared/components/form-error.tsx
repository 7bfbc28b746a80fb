import { ApiError } from '../api/api-client';
import { useI18n } from '../i18n/i18n-context';

/** The server's answer to a failed write: its message and, for bad input, what was wrong where. */
export function FormError({ error }: { error: unknown }) {
  const { errorMessage } = useI18n();
  if (!error) return null;
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <div className="form-error" role="alert">
      <p>{errorMessage(error)}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((issue, i) => (
            <li key={`${issue.path}-${i}`}>{issue.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function FieldError({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <p className="field-error" id={id}>
      {messages.join(' ')}
    </p>
  );
}
