// Form fields: a <label> for each, errors tied to the input by aria-describedby.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError, errorMessage } from '../lib/api';

interface FieldBase {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

function describedBy(errorId: string, hintId: string, error?: string, hint?: ReactNode): string | undefined {
  const ids = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

/** `className` styles the input, except `field-wide`, which makes the field span the form. */
export function TextField({ label, error, hint, className, ...input }: FieldBase & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const classes = (className ?? '').split(/\s+/);
  const wide = classes.includes('field-wide');
  const inputClass = classes.filter((c) => c && c !== 'field-wide').join(' ') || undefined;
  return (
    <div className={wide ? 'field field-wide' : 'field'}>
      <label htmlFor={id}>
        {label}
        {input.required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      <input
        id={id}
        className={inputClass}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(`${id}-e`, `${id}-h`, error, hint)}
        {...input}
      />
      {hint && (
        <p className="field-hint" id={`${id}-h`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-e`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function TextArea({ label, error, hint, ...input }: FieldBase & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className="field field-wide">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={3} aria-invalid={error ? true : undefined} aria-describedby={describedBy(`${id}-e`, `${id}-h`, error, hint)} {...input} />
      {hint && (
        <p className="field-hint" id={`${id}-h`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-e`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectField({ label, error, hint, children, ...select }: FieldBase & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(`${id}-e`, `${id}-h`, error, hint)} {...select}>
        {children}
      </select>
      {hint && (
        <p className="field-hint" id={`${id}-h`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-e`}>
          {error}
        </p>
      )}
    </div>
  );
}

export function CheckboxField({ label, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A form's foot: the server's error for a failed submit, the submit button, other buttons
 *  (`children`), and a status line saying what was done. */
export function FormFoot({ error, pending, submit, done, children }: { error: unknown; pending: boolean; submit: string; done: string; children?: ReactNode }) {
  return (
    <>
      <FormError error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {submit}
        </button>
        {children}
        <span role="status" className="form-ok-text">
          {done}
        </span>
      </div>
    </>
  );
}

/** The server's message for a failed submit (shown above the buttons). */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

/** Field errors from a 400 problem's `errors[]` (path "/name" → "name"). */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const e of error.fieldErrors) {
      const key = e.path.replace(/^\//, '').split('/')[0] ?? '';
      if (key && !out[key]) out[key] = e.message;
    }
  }
  return out;
}

/** Empty text → null, so optional fields can be cleared. */
export const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());
