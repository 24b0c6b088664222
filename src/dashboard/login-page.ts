import { html, page } from './html.js';

/**
 * The sign-in form: the commissioner pastes the access token they were given, once; the
 * gateway swaps it for a session cookie (HttpOnly, SameSite=Lax, 8 hours). A link of the
 * form /dashboard?token=… does the same in one click (`cradle demo` prints one).
 */
export function loginPage(o: { next: string; error?: string }): string {
  return page({ title: 'Sign in', body: html`
<main class="narrow">
  <h1>Cradle <span class="muted">· safeguarding data flows</span></h1>
  <form method="post" action="/dashboard/login" class="login">
    <label for="token">Access token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
    <input type="hidden" name="next" value="${o.next}">
    ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
    <button type="submit">Sign in</button>
    <p class="muted small">Use the token your Cradle operator gave you (the commissioner role). It is exchanged for a
      session cookie that lasts 8 hours; the token itself is not kept by your browser.</p>
  </form>
</main>` });
}
