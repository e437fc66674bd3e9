/** The syntaxes people write a secret in (code, config, prompts, URLs), as builders of a line. */

export type Syntax = (name: string, value: string) => string;

export const SYNTAXES: Record<string, Syntax> = {
  'name = "…"': (n, v) => `${n} = "${v}"`,
  'name=… (bare)': (n, v) => `${n}=${v}`,
  'Go name := "…"': (n, v) => `${n} := "${v}"`,
  'Make name ?= …': (n, v) => `${n} ?= ${v}`,
  'Make name ::= …': (n, v) => `${n} ::= ${v}`,
  'Make name :::= "…"': (n, v) => `${n} :::= "${v}"`,
  'YAML name: …': (n, v) => `service:\n  ${n}: ${v}\n`,
  'name: "…"': (n, v) => `${n}: "${v}"`,
  'PHP "name" => "…"': (n, v) => `"${n}" => "${v}"`,
  "Ruby name => '…'": (n, v) => `${n} => '${v}'`,
  'Java setProperty("NAME", "…")': (n, v) => `System.setProperty("${n}", "${v}");`,
  "Python setdefault('NAME', '…')": (n, v) => `os.environ.setdefault('${n}', '${v}')`,
  'Go var name string = "…"': (n, v) => `var ${n} string = "${v}"`,
  "TS const name: string = '…'": (n, v) => `const ${n}: string = '${v}';`,
  'export NAME=…': (n, v) => `export ${n}=${v}`,
  'export NAME="…"': (n, v) => `export ${n}="${v}"`,
  '.env line': (n, v) => `FOO=bar\n${n}=${v}\nBAZ=1`,
  'INI line': (n, v) => `[default]\n${n} = ${v}\n`,
  'JSON nested in a string': (n, v) => JSON.stringify({ body: JSON.stringify({ auth: { [n]: v } }) }),
  'JSON escaped twice': (n, v) => JSON.stringify(JSON.stringify({ [n]: v })),
  'URL query': (n, v) => `https://api.example.com/v1/items?page=2&${n}=${v}&x=1`,
  'URL query, value percent-encoded': (n, v) =>
    `https://api.example.com/v1/items?page=2&${n}=${encodeURIComponent(`${v}+/=`)}`,
  'URL percent-encoded whole': (n, v) => encodeURIComponent(`https://api.example.com/v1/items?${n}=${v}`),
  'Python kwargs': (n, v) => `client = Client(${n}="${v}")`,
  'cURL header': (n, v) => `curl -H "${n}: ${v}" https://api.example.com`,
  'prompt, name then value': (n, v) => `You are a helper. Call the API with ${n} ${v} and summarise.`,
  'prompt, "is"': (n, v) => `The ${n} is ${v}, keep it safe.`,
  "PHP $config['name'] = '…'": (n, v) => `$config['${n}'] = '${v}';`,
  "Ruby config.name = '…'": (n, v) => `config.${n} = '${v}'`,
  'XML element': (n, v) => `<${n}>${v}</${n}>`,
  'XML element, value on its own line': (n, v) => `<${n}>\n    ${v}\n</${n}>`,
  "PHP $name .= '…'": (n, v) => `$${n} .= '${v}';`,
  "SQL SET name = '…'": (n, v) => `UPDATE users SET ${n} = '${v}' WHERE id = 1`,
  'CLI --flag value': (n, v) => `tool --${n.toLowerCase().replace(/_/g, '-')} ${v}`,
  'CLI --flag=value': (n, v) => `tool --${n.toLowerCase().replace(/_/g, '-')}=${v}`,
};

/** Names a secret is kept under, in the casings people use. */
export const SECRET_NAMES = [
  'api_key',
  'clientSecret',
  'DB_PASSWORD',
  'authToken',
  'ACCESS_KEY',
  'adminpassword',
];
