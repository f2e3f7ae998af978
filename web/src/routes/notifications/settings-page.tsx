// One's own notification settings: e-mail on, off, or as the registry's notification flag of
// one's site says; and whether notices come gathered in one daily digest.
import { useState, type FormEvent } from 'react';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { QueryView } from '../../components/states';
import { CheckboxField, FormFoot } from '../../components/form';
import { useNotificationSettings, useSaveNotificationSettings, type NotificationSettings } from './hooks';
import '../patching/patching.css';

type EmailChoice = 'registry' | 'on' | 'off';
const CHOICES: Array<[EmailChoice, string, string]> = [
  ['registry', 'As my site’s registry setting says', 'The notification flag of your site in the registry decides.'],
  ['on', 'Send me e-mail', 'Whatever the registry says.'],
  ['off', 'No e-mail', 'Nothing is sent to you; your tasks are still here in Vigil.'],
];
const choiceOf = (email: boolean | null): EmailChoice => (email === null ? 'registry' : email ? 'on' : 'off');
const emailOf = (choice: EmailChoice): boolean | null => (choice === 'registry' ? null : choice === 'on');

export function NotificationSettingsPage() {
  const settings = useNotificationSettings();
  return (
    <>
      <PageHeader
        title="Notification settings"
        subtitle="What Vigil sends you by e-mail: tasks for your sites, reminders before their deadlines, and other notices."
      />
      <QueryView query={settings} label="your notification settings">
        {(data) => <SettingsForm settings={data} />}
      </QueryView>
    </>
  );
}

function SettingsForm({ settings }: { settings: NotificationSettings }) {
  const save = useSaveNotificationSettings();
  const [choice, setChoice] = useState<EmailChoice>(choiceOf(settings.email));
  const [digest, setDigest] = useState(settings.digest);
  const [done, setDone] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    save.mutate({ email: emailOf(choice), digest: choice !== 'off' && digest }, { onSuccess: () => setDone('Saved.') });
  };
  return (
    <form className="panel form-grid policy-form" onSubmit={submit} aria-labelledby="settings-title">
      <h2 id="settings-title">E-mail</h2>
      <fieldset className="plain-fieldset">
        <legend className="muted small">Send me e-mail</legend>
        {CHOICES.map(([value, label, hint]) => (
          <div key={value} className="field field-check">
            <input
              id={`email-${value}`}
              type="radio"
              name="email"
              value={value}
              checked={choice === value}
              onChange={() => setChoice(value)}
              aria-describedby={`email-${value}-h`}
            />
            <label htmlFor={`email-${value}`}>{label}</label>
            <span className="muted small" id={`email-${value}-h`}>
              {hint}
            </span>
          </div>
        ))}
      </fieldset>
      <div>
        <CheckboxField label="Daily digest" checked={choice !== 'off' && digest} disabled={choice === 'off'} onChange={(e) => setDigest(e.target.checked)} />
        <p className="field-hint">One e-mail a day gathering the notices, instead of one each. Reminders and escalations still come at once.</p>
      </div>
      <FormFoot error={save.error} pending={save.isPending} submit="Save settings" done={done}>
        {settings.updatedAt && <span className="muted small">last changed {formatTime(settings.updatedAt)}</span>}
      </FormFoot>
    </form>
  );
}
