// A list's filter as a labelled select: "All …" (no filter) first, then the choices.
import { useId } from 'react';

export interface FilterChoice {
  value: string;
  label: string;
}

export function FilterSelect({
  label,
  value,
  anyLabel,
  choices,
  onChange,
}: {
  label: string;
  value: string | undefined;
  /** The first option, meaning no filter: "All NGIs", "Any status". */
  anyLabel: string;
  choices: readonly FilterChoice[] | undefined;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className="toolbar-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="">{anyLabel}</option>
        {choices?.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
