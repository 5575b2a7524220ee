import { useId, useRef } from 'react';

/** The mask the API shows for a stored secret; sent back, it keeps the stored value. */
export const MASKED = '••••••••';

export interface CredentialRow {
  key: number;
  name: string;
  value: string;
  /** Came from the stored config: an empty field means "keep the stored value". */
  stored: boolean;
}

export function toRows(env: Record<string, string>, next: () => number): CredentialRow[] {
  return Object.entries(env).map(([name, value]) => ({ key: next(), name, value, stored: true }));
}

export function fromRows(rows: CredentialRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.name.trim()).map((row) => [row.name.trim(), row.value]));
}

/**
 * A repository's credential environment (S3, B2, SFTP…). Secrets are write-only: a stored
 * value shows as a mask, typing replaces it, removing the row removes it. Rows are keyed by
 * their own identity, never by position.
 */
export function CredentialsEditor({ rows, onChange }: { rows: CredentialRow[]; onChange: (rows: CredentialRow[]) => void }) {
  const id = useId();
  const counter = useRef(1_000_000);
  const update = (key: number, change: Partial<CredentialRow>) => onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));
  return (
    <fieldset className="credentials">
      <legend>Credentials (environment for restic)</legend>
      <p className="hint">For example AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, B2_ACCOUNT_ID and B2_ACCOUNT_KEY. Stored values are never shown.</p>
      {rows.map((row, index) => (
        <div key={row.key} className="credential-row">
          <input
            aria-label={`Credential ${index + 1} name`}
            id={`${id}-${row.key}-name`}
            className="mono"
            value={row.name}
            placeholder="AWS_ACCESS_KEY_ID"
            onChange={(e) => update(row.key, { name: e.target.value })}
          />
          <input
            aria-label={`Credential ${index + 1} value`}
            className="mono"
            type="password"
            autoComplete="off"
            value={row.stored && row.value === MASKED ? '' : row.value}
            placeholder={row.stored ? 'stored (type to replace)' : 'value'}
            onChange={(e) => update(row.key, { value: e.target.value === '' && row.stored ? MASKED : e.target.value })}
          />
          <button
            type="button"
            aria-label={`Remove credential ${row.name || index + 1}`}
            onClick={() => onChange(rows.filter((other) => other.key !== row.key))}
          >
            Remove
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          counter.current += 1;
          onChange([...rows, { key: counter.current, name: '', value: '', stored: false }]);
        }}
      >
        + Credential
      </button>
    </fieldset>
  );
}
