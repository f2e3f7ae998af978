// Sign-in with a local account.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../lib/api';
import { useLogin } from '../../lib/session';
import { ThemeToggle } from '../../shell/theme-toggle';

export function LoginPage() {
  const login = useLogin();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const userId = useId();
  const passId = useId();
  const errorId = useId();
  useEffect(() => {
    document.title = 'Sign in · Vigil';
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ username: username.trim(), password });
  };
  const described = login.isError ? errorId : undefined;
  return (
    <div className="login-screen">
      <div className="login-theme">
        <ThemeToggle />
      </div>
      <main className="login-card" id="main">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            V
          </span>{' '}
          Vigil
        </div>
        <p className="login-tagline">Security operations for federated research infrastructures</p>
        <h1>Sign in</h1>
        <form onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={userId}>Username</label>
            <input
              id={userId}
              name="username"
              autoComplete="username"
              autoFocus
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              aria-invalid={login.isError || undefined}
              aria-describedby={described}
            />
          </div>
          <div className="field">
            <label htmlFor={passId}>Password</label>
            <input
              id={passId}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={login.isError || undefined}
              aria-describedby={described}
            />
          </div>
          {login.isError && (
            <p className="form-error" id={errorId} role="alert">
              {errorMessage(login.error)}
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending || !username || !password}>
            {login.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="login-foot muted small">
          Local accounts only in this version. API reference: <a href="/api/docs">/api/docs</a>
        </p>
      </main>
    </div>
  );
}
