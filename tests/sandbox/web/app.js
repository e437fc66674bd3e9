// AI for Process sandbox: the web UI (plain browser JavaScript, no build step).
// A single-page app: history navigation, data fetched after the first paint.

const app = document.getElementById('app');
let session = null; // {user, account, csrfToken}
let accountPermissions = { importWorkflow: false, createWorkflow: false };
let shell = null; // {kind: 'workflows'|'workflow', workflowId?, main}

const PAGES = [
  ['flow', 'Workflow'],
  ['endpoint', 'Workflow endpoint'],
  ['api-keys', 'API keys'],
  ['sharing', 'Sharing & Permissions'],
  ['guardrails', 'Guardrails'],
  ['monitoring', 'Monitoring'],
  ['audit-logs', 'Audit logs'],
  ['configurations', 'Configurations'],
];
const STATE_LABEL = { deployed: 'Deployed', 'in-development': 'In Development', saved: 'Saved' };

// ------------------------------------------------------------------ helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const formatDate = (iso) =>
  iso ? new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' }) : '—';
const formatDateTime = (iso) =>
  iso
    ? new Date(iso).toLocaleString('en-US', {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      })
    : '—';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.error?.code || 'ERROR';
    this.details = body?.error?.details;
  }
}

async function api(path, { method = 'GET', body, raw } = {}) {
  const headers = {};
  if (method !== 'GET' && session?.csrfToken) headers['x-csrf-token'] = session.csrfToken;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (res.status === 401 && !path.startsWith('/api/auth/')) {
    session = null;
    navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
    throw new ApiError(401, await res.json().catch(() => null));
  }
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  if (raw) return res;
  if (res.status === 204) return null;
  return res.json();
}

async function pollJob(id) {
  for (;;) {
    const job = await api(`/api/public/dock-status/${encodeURIComponent(id)}`);
    if (job.status !== 'IN_PROGRESS') return job;
    await sleep(200);
  }
}

async function uploadFile(file) {
  const form = new FormData();
  form.append('file', file, file.name);
  form.append('fileContext', 'bulkImport');
  const { fileId } = await api('/api/public/files', { method: 'POST', body: form });
  return fileId;
}

function problemList(problems) {
  if (!problems || !problems.length) return null;
  return h(
    'ul',
    {},
    problems.map((p) =>
      h(
        'li',
        {},
        typeof p === 'string'
          ? p
          : [
              p.file ? `${p.file}: ` : '',
              p.path ? `${p.path} ` : '',
              p.message || p.scanner || JSON.stringify(p),
            ],
      ),
    ),
  );
}

function showError(target, error) {
  target.className = 'message error';
  const parts = [
    error.code && error.code !== 'ERROR' ? h('strong', {}, `${error.code}: `) : null,
    error.message,
    Array.isArray(error.details) ? problemList(error.details) : null,
  ];
  target.replaceChildren(...parts.filter((p) => p !== null && p !== undefined));
}

function showJobResult(target, job, successText) {
  if (job.status === 'FAILED') {
    showError(target, job.error || { message: 'The job failed.' });
    return false;
  }
  target.className = job.warnings?.length ? 'message warning' : 'message success';
  target.replaceChildren(successText);
  if (job.warnings?.length)
    target.append(
      h(
        'ul',
        {},
        job.warnings.map((w) => h('li', {}, h('strong', {}, `${w.code}: `), w.message)),
      ),
    );
  return true;
}

// ------------------------------------------------------------------ routing

function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route();
}

document.addEventListener('click', (event) => {
  const a = event.target instanceof Element ? event.target.closest('a[href]') : null;
  if (!a || a.hasAttribute('download') || a.target === '_blank') return;
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => route());

async function ensureSession() {
  if (session) return session;
  try {
    const res = await fetch('/api/session', { credentials: 'same-origin' });
    if (!res.ok) return null;
    session = await res.json();
    const account = await fetch('/api/account', { credentials: 'same-origin' }).then((r) =>
      r.ok ? r.json() : null,
    );
    if (account) accountPermissions = account.permissions;
    return session;
  } catch {
    return null;
  }
}

async function route() {
  const path = location.pathname;
  if (path === '/login') {
    if (await ensureSession()) return navigate(safeNext(), { replace: true });
    return renderLogin();
  }
  if (!(await ensureSession())) {
    return navigate(`/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
  }
  if (path === '/' || path === '/workflows' || path === '/workflows/') {
    if (path !== '/workflows') history.replaceState(null, '', '/workflows');
    return renderWorkflows();
  }
  const m = path.match(/^\/workflows\/([^/]+)(?:\/([^/]+))?\/?$/);
  if (m) {
    const page = m[2] || 'flow';
    if (!PAGES.some(([key]) => key === page)) return renderNotFound();
    if (!m[2]) history.replaceState(null, '', `/workflows/${m[1]}/flow`);
    return renderWorkflowPage(decodeURIComponent(m[1]), page);
  }
  return renderNotFound();
}

function safeNext() {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')
    ? next
    : '/workflows';
}

// ------------------------------------------------------------------ chrome

function topBar(current) {
  return h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'brand', href: '/workflows' }, 'AI for Process'),
    // Not a second navigation landmark: the workflow pages' left navigation is the page's only `nav`.
    h(
      'div',
      { class: 'topnav' },
      h('a', { href: '/workflows', 'aria-current': current === 'workflows' ? 'page' : null }, 'Workflows'),
    ),
    h(
      'div',
      { class: 'user' },
      h('span', {}, session.user.email),
      h('button', { type: 'button', onclick: logout }, 'Log out'),
    ),
  );
}

async function logout() {
  try {
    await api('/api/auth/logout', { method: 'POST' });
  } catch {
    /* already logged out */
  }
  session = null;
  shell = null;
  navigate('/login', { replace: true });
}

function renderNotFound() {
  shell = null;
  app.replaceChildren(
    topBar(''),
    h(
      'div',
      { class: 'page' },
      h('h1', {}, 'Page not found'),
      h('p', {}, h('a', { href: '/workflows' }, 'Back to Workflows')),
    ),
  );
}

// ------------------------------------------------------------------ login

function renderLogin() {
  shell = null;
  document.title = 'Log in · AI for Process';
  const message = h('p', { class: 'message', role: 'alert' });
  const email = h('input', {
    id: 'login-email',
    name: 'email',
    type: 'email',
    autocomplete: 'username',
    required: true,
  });
  const password = h('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h(
    'form',
    {
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        message.className = 'message';
        message.textContent = '';
        try {
          await api('/api/auth/login', {
            method: 'POST',
            body: { email: email.value, password: password.value },
          });
          session = null;
          await ensureSession();
          navigate(safeNext(), { replace: true });
        } catch (error) {
          showError(
            message,
            error.code === 'INVALID_CREDENTIALS' ? { message: 'Incorrect email or password.' } : error,
          );
          submit.disabled = false;
        }
      },
    },
    h('h1', {}, 'Log in to AI for Process'),
    h('div', { class: 'field' }, h('label', { for: 'login-email' }, 'Email'), email),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), password),
    submit,
    message,
  );
  app.replaceChildren(h('main', { class: 'login' }, form));
  email.focus();
}

// ------------------------------------------------------------------ workflows dashboard

async function renderWorkflows() {
  document.title = 'Workflows · AI for Process';
  let tab = 'all';
  const tbody = h('tbody', {}, h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'Loading workflows…')));
  const allTab = h('button', { type: 'button', role: 'tab', 'aria-selected': 'true' }, 'All workflows');
  const myTab = h('button', { type: 'button', role: 'tab', 'aria-selected': 'false' }, 'My workflows');
  let workflows = [];
  const fill = () => {
    const rows = workflows.filter((w) => tab === 'all' || w.createdBy === session.user.id);
    tbody.replaceChildren(
      ...(rows.length
        ? rows.map((w) =>
            h(
              'tr',
              {},
              h(
                'td',
                {},
                h('a', { href: `/workflows/${encodeURIComponent(w.id)}/flow` }, w.name),
                w.description ? h('div', { class: 'hint' }, w.description) : null,
              ),
              h(
                'td',
                {},
                h('span', { class: `badge ${w.status === 'Deployed' ? 'deployed' : 'dev'}` }, w.status),
              ),
              h('td', {}, formatDate(w.updatedAt)),
            ),
          )
        : [h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'No workflows yet.'))]),
    );
  };
  const select = (which) => {
    tab = which;
    allTab.setAttribute('aria-selected', String(which === 'all'));
    myTab.setAttribute('aria-selected', String(which === 'my'));
    fill();
  };
  allTab.addEventListener('click', () => select('all'));
  myTab.addEventListener('click', () => select('my'));
  const load = async () => {
    workflows = (await api('/api/workflows')).workflows;
    fill();
  };

  const importDialog = newWorkflowImportDialog(load);
  const createDialog = createWorkflowDialog();
  const main = h(
    'main',
    { class: 'page' },
    h(
      'div',
      { class: 'page-head' },
      h('h1', {}, 'Workflows'),
      h(
        'div',
        { class: 'row' },
        h(
          'button',
          {
            type: 'button',
            disabled: !accountPermissions.importWorkflow,
            onclick: () => importDialog.open(),
          },
          'Import a workflow',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'primary',
            disabled: !accountPermissions.createWorkflow,
            onclick: () => createDialog.showModal(),
          },
          'Create new workflow',
        ),
      ),
    ),
    h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Workflow lists' }, allTab, myTab),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Status'), h('th', {}, 'Updated on'))),
      tbody,
    ),
    importDialog.dialog,
    createDialog,
  );
  shell = { kind: 'workflows' };
  app.replaceChildren(topBar('workflows'), main);
  await load().catch((error) => tbody.replaceChildren(h('tr', {}, h('td', { colspan: 3 }, error.message))));
}

function fileField(id, label, required) {
  const input = h('input', { id, type: 'file', accept: '.json,application/json', required });
  return {
    input,
    el: h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label, required ? '' : h('span', { class: 'muted' }, ' (optional)')),
      input,
    ),
  };
}

function newWorkflowImportDialog(onDone) {
  const name = h('input', { id: 'import-workflow-name', type: 'text', required: true, autocomplete: 'off' });
  const flow = fileField('import-new-flow', 'Flow definition file', true);
  const appDef = fileField('import-new-app', 'App definition file', false);
  const env = fileField('import-new-env', 'Environment variable file', false);
  const message = h('div', { class: 'message', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary', disabled: true }, 'Import');
  const cancel = h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel');
  const update = () => (submit.disabled = !name.value.trim() || !flow.input.files.length);
  name.addEventListener('input', update);
  flow.input.addEventListener('change', update);
  const form = h(
    'form',
    {
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        message.className = 'message info';
        message.textContent = 'Import in progress…';
        try {
          const body = {
            workflowName: name.value.trim(),
            flowDataFileId: await uploadFile(flow.input.files[0]),
          };
          if (appDef.input.files.length) body.workflowDataFileId = await uploadFile(appDef.input.files[0]);
          if (env.input.files.length) body.envVariablesFileId = await uploadFile(env.input.files[0]);
          const started = await api('/api/public/workflows/import', { method: 'POST', body });
          const job = await pollJob(started.dockStatusId);
          if (showJobResult(message, job, 'Workflow imported successfully. ')) {
            message.append(
              h(
                'a',
                {
                  href: `/workflows/${encodeURIComponent(job.workflowId)}/flow`,
                  onclick: () => dialog.close(),
                },
                'Go to workflow',
              ),
            );
            onDone();
          } else update();
        } catch (error) {
          showError(message, error);
          update();
        }
      },
    },
    h('h2', { id: 'import-new-title' }, 'Import a workflow'),
    h(
      'p',
      { class: 'hint' },
      'Upload the JSON files of an exported workflow. The workflow is created in development.',
    ),
    h('div', { class: 'field' }, h('label', { for: 'import-workflow-name' }, 'Workflow Name'), name),
    flow.el,
    appDef.el,
    env.el,
    message,
    h('div', { class: 'actions' }, cancel, submit),
  );
  const dialog = h('dialog', { 'aria-labelledby': 'import-new-title' }, form);
  return {
    dialog,
    open() {
      form.reset();
      message.className = 'message';
      message.textContent = '';
      update();
      dialog.showModal();
    },
  };
}

function createWorkflowDialog() {
  const name = h('input', { id: 'create-workflow-name', type: 'text', required: true });
  const description = h('textarea', { id: 'create-workflow-description', rows: 3 });
  const message = h('div', { class: 'message', role: 'status' });
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'create-title' },
    h(
      'form',
      {
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            const { workflow } = await api('/api/workflows', {
              method: 'POST',
              body: { name: name.value, description: description.value },
            });
            dialog.close();
            navigate(`/workflows/${encodeURIComponent(workflow.id)}/flow`);
          } catch (error) {
            showError(message, error);
          }
        },
      },
      h('h2', { id: 'create-title' }, 'New workflow'),
      h('div', { class: 'field' }, h('label', { for: 'create-workflow-name' }, 'Name'), name),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'create-workflow-description' }, 'Description'),
        description,
      ),
      message,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, 'Create'),
      ),
    ),
  );
  return dialog;
}

// ------------------------------------------------------------------ workflow pages

async function renderWorkflowPage(workflowId, page) {
  const label = PAGES.find(([key]) => key === page)[1];
  if (!shell || shell.kind !== 'workflow' || shell.workflowId !== workflowId) {
    const nameEl = h('div', { class: 'wf-name' }, '…');
    const links = PAGES.map(([key, text]) =>
      h('a', { href: `/workflows/${encodeURIComponent(workflowId)}/${key}` }, text),
    );
    const main = h('main', {});
    app.replaceChildren(
      topBar(''),
      h(
        'div',
        { class: 'workflow' },
        h(
          'aside',
          { class: 'sidebar' },
          nameEl,
          h(
            'nav',
            { 'aria-label': 'Workflow' },
            h(
              'ul',
              {},
              links.map((a) => h('li', {}, a)),
            ),
          ),
        ),
        main,
      ),
    );
    shell = { kind: 'workflow', workflowId, main, links, nameEl };
  }
  shell.links.forEach((a, i) => {
    if (PAGES[i][0] === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const main = h('main', {}, h('h1', {}, label), h('p', { class: 'muted' }, 'Loading…'));
  shell.main.replaceWith(main);
  shell.main = main;
  const token = (shell.token = Symbol(page));

  let data;
  try {
    data = await loadWorkflow(workflowId);
  } catch (error) {
    if (shell.token !== token) return;
    main.replaceChildren(
      h('h1', {}, label),
      h('p', { class: 'message error' }, error.status === 404 ? 'Workflow not found.' : error.message),
    );
    return;
  }
  if (shell.token !== token) return;
  shell.nameEl.textContent = data.workflow.name;
  document.title = `${label} · ${data.workflow.name} · AI for Process`;
  const render = PAGE_RENDERERS[page];
  main.replaceChildren(
    h('h1', {}, label),
    ...render(data, () => renderWorkflowPage(workflowId, page)).filter(Boolean),
  );
}

async function loadWorkflow(id) {
  const [detail, settings] = await Promise.all([
    api(`/api/workflows/${encodeURIComponent(id)}`),
    api(`/api/workflows/${encodeURIComponent(id)}/settings`),
  ]);
  return { ...detail, settings };
}

function stateBadge(state) {
  return h(
    'span',
    { class: `badge ${state === 'deployed' ? 'deployed' : state === 'in-development' ? 'dev' : ''}` },
    STATE_LABEL[state] || state,
  );
}

function section(title, ...children) {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

function simpleTable(headers, rows, empty = 'Nothing here yet.') {
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.length
        ? rows.map((cells) =>
            h(
              'tr',
              {},
              cells.map((c) => h('td', {}, c)),
            ),
          )
        : h('tr', {}, h('td', { colspan: headers.length, class: 'muted' }, empty)),
    ),
  );
}

function confirmDialog(title, text, actionLabel, action) {
  const message = h('div', { class: 'message', role: 'status' });
  const go = h('button', { type: 'button', class: 'danger solid' }, actionLabel);
  const dialog = h(
    'dialog',
    { 'aria-label': title },
    h('h2', {}, title),
    h('p', {}, text),
    message,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      go,
    ),
  );
  go.addEventListener('click', async () => {
    go.disabled = true;
    message.className = 'message info';
    message.textContent = 'Working…';
    try {
      await action(message);
      dialog.close();
    } catch (error) {
      showError(message, error);
    } finally {
      go.disabled = false;
    }
  });
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}

const PAGE_RENDERERS = {
  flow(data) {
    const { workflow, versions, settings } = data;
    const current = versions.find((v) => v.id === settings.versionId);
    return [
      section(
        'Flow versions',
        simpleTable(
          ['Version', 'State', 'Updated on', ''],
          versions.map((v) => [
            v.name,
            stateBadge(v.state),
            formatDate(v.updatedAt),
            v.state === 'deployed' ? 'View the Flow' : v.state === 'in-development' ? 'Go to flow' : '',
          ]),
        ),
      ),
      section(
        `Nodes of ${current ? current.name : 'the current version'}`,
        h(
          'p',
          { class: 'hint' },
          `${settings.nodeCount} node${settings.nodeCount === 1 ? '' : 's'}${settings.nodeCount > settings.nodes.length ? ` (first ${settings.nodes.length} shown)` : ''}.`,
        ),
        simpleTable(
          ['Name', 'Type'],
          settings.nodes.map((n) => [n.name, n.type]),
        ),
      ),
      h('p', { class: 'hint' }, `Status: ${workflow.status}`),
    ];
  },

  endpoint(data, refresh) {
    const { workflow, settings } = data;
    const message = h('div', { class: 'message', role: 'status' });
    const deploy = h(
      'button',
      {
        type: 'button',
        class: 'primary',
        disabled: !workflow.permissions.deploy || !workflow.inDevelopmentVersionId,
      },
      'Deploy',
    );
    deploy.addEventListener('click', async () => {
      deploy.disabled = true;
      message.className = 'message info';
      message.textContent = 'Deploying…';
      try {
        const started = await api(`/api/public/workflows/${encodeURIComponent(workflow.id)}/deploy`, {
          method: 'POST',
          body: { isAsync: false },
        });
        const job = await pollJob(started.dockStatusId);
        if (showJobResult(message, job, 'Workflow deployed.')) setTimeout(refresh, 600);
      } catch (error) {
        showError(message, error);
      }
    });
    const push = settings.execution?.async?.push;
    return [
      section(
        'Deployment',
        h('div', { class: 'row' }, h('span', {}, 'Status: ', h('strong', {}, workflow.status)), deploy),
        !workflow.inDevelopmentVersionId
          ? h('p', { class: 'hint' }, 'There is no in-development version to deploy.')
          : null,
        message,
      ),
      section(
        'Endpoints',
        settings.endpoint
          ? h(
              'dl',
              { class: 'details' },
              h('dt', {}, 'Sync'),
              h('dd', { class: 'mono' }, settings.endpoint.sync),
              h('dt', {}, 'Async poll'),
              h('dd', { class: 'mono' }, settings.endpoint.asyncPoll),
              h('dt', {}, 'Async push'),
              h('dd', {}, push ? push.callbackUrl : 'Not set up'),
            )
          : h('p', { class: 'muted' }, 'Deploy the workflow to generate its endpoints.'),
      ),
    ];
  },

  'api-keys'(data) {
    return [
      section(
        'API keys',
        h('p', { class: 'hint' }, 'Keys are shown once when created; they are never exported or imported.'),
        simpleTable(
          ['Name', 'Key', 'Created on', 'Last used'],
          data.settings.apiKeys.map((k) => [
            k.name,
            h('span', { class: 'mono' }, k.key),
            formatDate(k.createdAt),
            k.lastUsedAt ? formatDate(k.lastUsedAt) : 'Never',
          ]),
        ),
      ),
    ];
  },

  sharing(data) {
    return [
      section(
        'Collaborators',
        simpleTable(
          ['User', 'Role'],
          data.settings.sharing.map((s) => [s.email, s.role]),
        ),
      ),
    ];
  },

  guardrails(data) {
    const g = data.settings.guardrails;
    const list = (scanners) =>
      simpleTable(
        ['Scanner', 'Settings'],
        (scanners || []).map((s) => [s.type, h('span', { class: 'mono' }, JSON.stringify(s.settings ?? {}))]),
        'No scanners.',
      );
    return [
      section('Input scanners', list(g.inputScanners)),
      section('Output scanners', list(g.outputScanners)),
    ];
  },

  monitoring() {
    return [
      section(
        'Workflow runs',
        simpleTable(
          ['Run ID', 'Status', 'Type', 'Started'],
          [],
          'No runs yet. Monitoring covers deployed workflows only.',
        ),
      ),
    ];
  },

  'audit-logs'(data) {
    const logs = data.settings.auditLogs;
    if (!logs)
      return [h('p', { class: 'message info' }, 'Your workflow role does not include access to audit logs.')];
    return [
      simpleTable(
        ['Event Name', 'Category', 'User Name', 'Date and Time', 'Description'],
        logs.map((l) => [l.event, l.category, l.user, formatDateTime(l.at), l.description]),
      ),
    ];
  },

  configurations(data, refresh) {
    const { workflow, versions, settings } = data;
    const perms = workflow.permissions;
    const deployed = !!workflow.deployedVersionId;
    const exec = settings.execution || {};

    // General details
    const general = section(
      'General details',
      h(
        'dl',
        { class: 'details' },
        h('dt', {}, 'Name'),
        h('dd', {}, workflow.name),
        h('dt', {}, 'Description'),
        h('dd', {}, workflow.description || '—'),
        h('dt', {}, 'Status'),
        h('dd', {}, workflow.status),
        h('dt', {}, 'Your role'),
        h('dd', {}, workflow.myRole),
      ),
    );

    // Setup sync/async
    const asyncCfg = exec.async || { enabled: false };
    const syncAsync = section(
      'Setup sync/async',
      h(
        'dl',
        { class: 'details' },
        h('dt', {}, 'Sync timeout'),
        h('dd', {}, exec.syncTimeoutSec ? `${exec.syncTimeoutSec} seconds` : '—'),
        h('dt', {}, 'Async'),
        h('dd', {}, asyncCfg.enabled ? 'Enabled' : 'Disabled'),
        asyncCfg.enabled
          ? [
              h('dt', {}, 'Async timeout'),
              h('dd', {}, asyncCfg.timeoutSec ? `${asyncCfg.timeoutSec} seconds` : 'No timeout'),
            ]
          : null,
        asyncCfg.push
          ? [
              h('dt', {}, 'Callback URL'),
              h('dd', { class: 'mono' }, asyncCfg.push.callbackUrl || '—'),
              h('dt', {}, 'Access token'),
              h('dd', {}, asyncCfg.push.hasAccessToken ? '••••••••' : 'Not set'),
            ]
          : null,
      ),
    );

    // Manage environment variables
    const envSection = section(
      'Manage environment variables',
      simpleTable(
        ['Variable name', 'Value', 'Secure', 'Notes'],
        settings.env.map((v) => [
          h('span', { class: 'mono' }, v.name),
          h('span', { class: 'mono' }, v.value || (v.secure ? 'Not set' : '')),
          v.secure ? 'Yes' : 'No',
          v.notes || '',
        ]),
        'No environment variables.',
      ),
    );

    // Import a workflow (as a version)
    const importDialog = versionImportDialog(workflow, settings, refresh);
    const importHint = !perms.importVersion
      ? 'Your workflow role cannot import a version (tool admin or tool manager only).'
      : !deployed
        ? 'To import a workflow as a version, the parent workflow must be deployed.'
        : 'Import the three JSON files of an exported workflow. The imported version becomes the in-development version; the current one is renamed and saved.';
    const importSection = section(
      'Import a workflow',
      h('p', { class: 'hint' }, importHint),
      h(
        'button',
        { type: 'button', disabled: !perms.importVersion || !deployed, onclick: () => importDialog.open() },
        'Import',
      ),
    );

    // Export workflow
    const defaultVersion =
      workflow.deployedVersionId || workflow.inDevelopmentVersionId || versions.at(-1)?.id;
    const select = h(
      'select',
      { id: 'export-version', name: 'version', disabled: !perms.export },
      versions.map((v) =>
        h(
          'option',
          { value: v.id, selected: v.id === defaultVersion },
          `${v.name} (${STATE_LABEL[v.state] || v.state})`,
        ),
      ),
    );
    const exportButton = h('button', { type: 'button', class: 'primary', disabled: !perms.export }, 'Export');
    const exportStatus = h('p', { class: 'message', role: 'status' });
    const downloadLink = h('a', { download: '', hidden: true }, 'Download');
    exportButton.addEventListener('click', async () => {
      exportButton.disabled = true;
      select.disabled = true;
      exportStatus.className = 'message info';
      exportStatus.textContent = 'Exporting…';
      try {
        const started = await api(
          `/api/public/workflows/${encodeURIComponent(workflow.id)}/export?flowId=${encodeURIComponent(select.value)}`,
          { method: 'POST' },
        );
        const job = await pollJob(started.dockStatusId);
        if (job.status !== 'SUCCESS')
          throw new ApiError(500, { error: job.error || { code: 'FAILED', message: 'The export failed.' } });
        const res = await api(new URL((job.response || started.response).downloadUrl).pathname, {
          raw: true,
        });
        const blob = await res.blob();
        const fileName =
          fileNameFrom(res.headers.get('content-disposition')) ||
          `${workflow.name.replace(/[<>:"/\\|?*]/g, '_')}.zip`;
        const href = URL.createObjectURL(blob);
        downloadLink.href = href;
        downloadLink.download = fileName;
        downloadLink.click();
        setTimeout(() => URL.revokeObjectURL(href), 60_000);
        const versionName = versions.find((v) => v.id === select.value)?.name;
        exportStatus.className = 'message success';
        exportStatus.textContent = `Workflow exported successfully: ${fileName} (version "${versionName}").`;
      } catch (error) {
        showError(exportStatus, error);
      } finally {
        exportButton.disabled = !perms.export;
        select.disabled = !perms.export;
      }
    });
    const exportSection = section(
      'Export workflow',
      h(
        'p',
        { class: 'hint' },
        perms.export
          ? 'Export a version as a .zip with the flow definition, app definition and environment variable files. API keys, sharing, the endpoint and audit logs are left out.'
          : 'Your workflow role cannot export (viewers cannot export or import).',
      ),
      h('div', { class: 'field' }, h('label', { for: 'export-version' }, 'Version'), select),
      exportButton,
      exportStatus,
      downloadLink,
    );

    // Undeploy
    const undeploySection = section(
      'Proceed to undeploy',
      h(
        'p',
        { class: 'hint' },
        'Undeploying will result in an immediate disconnection from all active instances.',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          disabled: !deployed || !perms.deploy,
          onclick: () =>
            confirmDialog(
              'Undeploy workflow',
              `Undeploy "${workflow.name}"? Active instances are disconnected immediately.`,
              'Undeploy',
              async (message) => {
                const started = await api(
                  `/api/public/workflows/${encodeURIComponent(workflow.id)}/undeploy`,
                  { method: 'POST' },
                );
                const job = await pollJob(started.dockStatusId);
                if (!showJobResult(message, job, 'Workflow undeployed.'))
                  throw new ApiError(500, { error: job.error });
                refresh();
              },
            ),
        },
        'Undeploy',
      ),
      !deployed ? h('p', { class: 'hint' }, 'The workflow is not deployed.') : null,
    );

    // Delete
    const deleteSection = section(
      'Proceed to delete',
      h(
        'p',
        { class: 'hint' },
        'Deleting the workflow will remove all the associated data. Only possible when the workflow is undeployed.',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          disabled: deployed || !perms.delete,
          onclick: () =>
            confirmDialog(
              'Delete workflow',
              `Delete "${workflow.name}" and all its versions? This cannot be undone.`,
              'Delete',
              async () => {
                await api(`/api/workflows/${encodeURIComponent(workflow.id)}`, { method: 'DELETE' });
                shell = null;
                navigate('/workflows');
              },
            ),
        },
        'Delete',
      ),
      !perms.delete
        ? h('p', { class: 'hint' }, 'Only a tool admin can delete a workflow.')
        : deployed
          ? h('p', { class: 'hint' }, 'Undeploy the workflow first.')
          : null,
    );

    // The dialog sits after the sections, so that its heading is not counted as one of theirs.
    return [
      general,
      syncAsync,
      envSection,
      importSection,
      exportSection,
      undeploySection,
      deleteSection,
      importDialog.dialog,
    ];
  },
};

function fileNameFrom(disposition) {
  if (!disposition) return null;
  const star = disposition.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  const plain = disposition.match(/filename="([^"]+)"/i);
  return plain ? plain[1] : null;
}

function versionImportDialog(workflow, settings, refresh) {
  const flow = fileField('import-version-flow', 'Flow definition file', true);
  const appDef = fileField('import-version-app', 'App definition file', true);
  const env = fileField('import-version-env', 'Environment variable file', true);
  const conflicts = h('div', {});
  const message = h('div', { class: 'message', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary', disabled: true }, 'Import');
  const update = () =>
    (submit.disabled = !(flow.input.files.length && appDef.input.files.length && env.input.files.length));
  for (const f of [flow, appDef, env]) f.input.addEventListener('change', update);
  const existing = new Map(settings.env.map((v) => [v.name, v]));

  env.input.addEventListener('change', async () => {
    conflicts.replaceChildren();
    const file = env.input.files[0];
    if (!file) return;
    let parsed;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      return;
    }
    const incoming = Array.isArray(parsed)
      ? parsed
      : Array.isArray(parsed?.variables)
        ? parsed.variables
        : [];
    const clashing = incoming.filter(
      (v) =>
        v &&
        existing.has(v.name) &&
        (existing.get(v.name).secure || v.secure || existing.get(v.name).value !== v.value),
    );
    if (!clashing.length) return;
    conflicts.append(
      h(
        'fieldset',
        {},
        h('legend', {}, 'Conflicting variables'),
        h(
          'p',
          { class: 'hint' },
          'For conflicting values, the existing ones are retained unless you choose Overwrite.',
        ),
        clashing.map((v, i) =>
          h(
            'div',
            { class: 'field' },
            h('label', { for: `env-conflict-${i}` }, v.name),
            h(
              'select',
              { id: `env-conflict-${i}`, name: v.name },
              h('option', { value: 'keep' }, 'Keep existing'),
              h('option', { value: 'overwrite' }, 'Overwrite'),
            ),
          ),
        ),
      ),
    );
  });

  const form = h(
    'form',
    {
      onsubmit: async (event) => {
        event.preventDefault();
        submit.disabled = true;
        message.className = 'message info';
        message.textContent = 'Import in progress…';
        try {
          const envConflicts = {};
          for (const sel of conflicts.querySelectorAll('select')) envConflicts[sel.name] = sel.value;
          const body = {
            flowDataFileId: await uploadFile(flow.input.files[0]),
            workflowDataFileId: await uploadFile(appDef.input.files[0]),
            envVariablesFileId: await uploadFile(env.input.files[0]),
            envConflicts,
          };
          const started = await api(`/api/public/workflows/${encodeURIComponent(workflow.id)}/import`, {
            method: 'POST',
            body,
          });
          const job = await pollJob(started.dockStatusId);
          if (showJobResult(message, job, 'The imported version was added as the in-development version. ')) {
            message.append(
              h('button', { type: 'button', onclick: () => (dialog.close(), refresh()) }, 'Done'),
            );
          } else update();
        } catch (error) {
          showError(message, error);
          update();
        }
      },
    },
    h('h2', { id: 'import-version-title' }, 'Import a workflow as a version'),
    h(
      'p',
      { class: 'hint' },
      `All three files are required. The imported version takes the name of the current version of "${workflow.name}".`,
    ),
    flow.el,
    appDef.el,
    env.el,
    conflicts,
    message,
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      submit,
    ),
  );
  const dialog = h('dialog', { 'aria-labelledby': 'import-version-title' }, form);
  return {
    dialog,
    open() {
      form.reset();
      conflicts.replaceChildren();
      message.className = 'message';
      message.textContent = '';
      update();
      dialog.showModal();
    },
  };
}

route();
