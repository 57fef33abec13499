/** The page at / until the dashboard is served there: where to go next. */
export function landingPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Parley</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style>
</head><body>
<h1>Parley is running</h1>
<p>The REST API lives under <code>/api/support</code>. Read the <a href="/api/docs">interactive API documentation</a>
or fetch the <a href="/api/openapi.json">OpenAPI document</a>.</p>
<p>First run: create your team with <code>POST /api/auth/signup</code> or <code>npx parley team create</code>.</p>
</body></html>`;
}
