/**
 * One sample a rule must find and one it must leave, for every provider rule (by id; an id several rules share
 * has a sample for each). The secrets are made here from a seeded generator: no literal token in the source.
 * `find`: [text, secret]; `keep`: texts the whole scanner leaves alone (placeholders and examples of the same
 * format, the provider's name with an ordinary value).
 */

let seed = 0x5eed;
/** Deterministic pseudo-random characters from `chars`. */
export function gen(chars: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out += chars[(seed >>> 8) % chars.length];
  }
  return out;
}
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
export const AN = LOWER + UPPER + DIGITS;
const an = (n: number) => gen(AN, n);
const la = (n: number) => gen(LOWER + DIGITS, n);
const ua = (n: number) => gen(UPPER + DIGITS, n);
const hex = (n: number) => gen('0123456789abcdef', n);
const hexMixed = (n: number) => gen('0123456789abcdefABCDEF', n);
const dig = (n: number) => gen(DIGITS, n);
const b64 = (n: number) => gen(`${AN}+/`, n);
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
const x = (n: number) => 'x'.repeat(n);

/** `name = "value"`: the assignment the keyed samples use (other syntaxes are tested in heuristics). */
const kv = (name: string, value: string): [string, string] => [`${name} = "${value}"`, value];
/** A token in prose. */
const say = (value: string): [string, string] => [`please use ${value} for this call`, value];

export interface RuleSamples {
  find: Array<[string, string]>;
  keep: string[];
}

export const SAMPLES: Record<string, RuleSamples> = {
  'private-key-pem': {
    find: [
      ((k) => [k, k])(
        `-----BEGIN RSA PRIVATE KEY-----\n${b64(64)}\n${b64(64)}\n-----END RSA PRIVATE KEY-----`,
      ),
    ],
    keep: [
      'the PRIVATE KEY file lives in the vault',
      '-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----',
    ],
  },
  jwt: {
    find: [say(`eyJ${an(20)}.eyJ${an(30)}.${an(40)}`), say(`ZXlK${an(60)}`)],
    keep: ['eyJhbGciOi (a header alone)', `ZXlK${x(60)}`],
  },
  'kubernetes-secret-yaml': {
    find: [((v) => [`apiVersion: v1\nkind: Secret\ndata:\n  db-pass: ${v}\n`, v])(b64(24) + '==')],
    keep: ['apiVersion: v1\nkind: ConfigMap\ndata:\n  mode: production\n'],
  },
  'anthropic-key': {
    find: [say(`sk-ant-api03-${an(93)}AA`)],
    keep: ['sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxx'],
  },
  'openai-key': { find: [say(`sk-proj-${an(48)}`)], keep: ['sk-proj-your-key-here-xxxxxxxxxxxxxxxx'] },
  'huggingface-token': {
    find: [say(`hf_${an(34)}`), say(`api_org_${gen(LOWER + UPPER, 34)}`)],
    keep: [`hf_${x(34)}`, `api_org_${x(34)}`],
  },
  'cohere-api-token': { find: [kv('COHERE_API_KEY', an(40))], keep: [`COHERE_API_KEY = "${x(40)}"`] },
  'perplexity-api-key': { find: [say(`pplx-${an(48)}`)], keep: [`pplx-${x(48)}`] },
  'privateai-api-token': { find: [kv('PRIVATE_AI_KEY', la(32))], keep: ['private_ai_key = "<your key>"'] },
  'kore-api-key': { find: [say(`kg-${uuid()}-${an(8)}`)], keep: ['kg-exampleexampleexample'] },
  'aws-access-key-id': {
    find: [say(`AKIA${gen('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`)],
    keep: ['AKIAXXXXXXXXXXXXXXXX'],
  },
  'aws-secret-key': {
    find: [kv('aws_secret_access_key', an(40))],
    keep: [`aws_secret_access_key = "${x(40)}"`],
  },
  'aws-bedrock-api-key': { find: [say(`ABSK${b64(120)}`)], keep: [`ABSK${x(120)}`] },
  'google-api-key': {
    find: [say(`AIza${an(35)}`)],
    keep: [`AIza${x(35)}`, `AIza${'k'.repeat(35)}`, 'AIzaSyAbcdefghijklmnopqrstuvwxyz0123456'],
  },
  'google-oauth-secret': {
    find: [say(`GOCSPX-${an(28)}`), say(`1//0${an(60)}`)],
    keep: [`GOCSPX-${x(28)}`, 'see https://1//0 for nothing', `1//0${x(60)}`],
  },
  'azure-connection-string': {
    find: [((k) => [`DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${k};`, k])(b64(86) + '==')],
    keep: ['DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<your-account-key>;'],
  },
  'azure-client-secret': { find: [say(`${an(3)}8Q~${an(34)}`)], keep: ['the Q~ prefix marks Azure secrets'] },
  'digitalocean-token': {
    // gitleaks reads refresh tokens case-insensitively: upper-case hex digits are the same token.
    find: [say(`dop_v1_${hex(64)}`), say(`dor_v1_${hexMixed(64)}`)],
    keep: [`dop_v1_${x(64)}`],
  },
  'alibaba-access-key-id': { find: [say(`LTAI${an(20)}`)], keep: [`LTAI${x(20)}`] },
  'alibaba-secret-key': { find: [kv('ALIBABA_SECRET', la(30))], keep: [`ALIBABA_SECRET = "${x(30)}"`] },
  'cloudflare-api-key': {
    find: [kv('CLOUDFLARE_TOKEN', la(40))],
    keep: ['cloudflare_zone = "example-zone"'],
  },
  'cloudflare-origin-ca-key': {
    find: [say(`v1.0-${hex(24)}-${hex(146)}`)],
    keep: ['v1.0-beta of the origin CA'],
  },
  'heroku-api-key': { find: [kv('HEROKU_API_KEY', uuid())], keep: ['HEROKU_API_KEY = "your-heroku-key"'] },
  'heroku-api-key-v2': { find: [say(`HRKU-AA${an(58)}`)], keep: [`HRKU-AA${x(58)}`] },
  'flyio-access-token': { find: [say(`fo1_${an(43)}`)], keep: [`fo1_${x(43)}`] },
  'yandex-token': { find: [kv('YANDEX_KEY', `AQVN${an(36)}`)], keep: ['YANDEX_KEY = "AQVN-your-key"'] },
  'hashicorp-tf-api-token': {
    find: [say(`${an(14)}.atlasv1.${an(65)}`)],
    keep: ['see .atlasv1. in the docs'],
  },
  'hashicorp-tf-password': {
    find: [kv('administrator_login_password', `Pw${la(10)}9`)],
    keep: ['administrator_login_password = "${var.admin_password}"'],
  },
  'vault-token': {
    find: [say(`hvs.${an(95)}`), kv('VAULT_TOKEN', `s.${an(24)}`)],
    keep: [`hvs.${x(95)}`, 's.abcdefghijklmnopqrstuvwx'],
  },
  'openshift-user-token': { find: [say(`sha256~${an(43)}`)], keep: [`sha256~${x(43)}`] },
  'databricks-api-token': { find: [say(`dapi${hex(32)}`)], keep: [`dapi${x(32)}`] },
  'clickhouse-cloud-api-secret-key': { find: [say(`4b1d${an(38)}`)], keep: [`4b1d${x(38)}`] },
  'confluent-token': { find: [kv('CONFLUENT_SECRET', la(64))], keep: [`CONFLUENT_SECRET = "${x(64)}"`] },
  'planetscale-token': { find: [say(`pscale_tkn_${an(43)}`)], keep: [`pscale_tkn_${x(43)}`] },
  'scalingo-api-token': { find: [say(`tk-us-${an(48)}`)], keep: [`tk-us-${x(48)}`] },
  'netlify-access-token': {
    find: [kv('NETLIFY_AUTH_TOKEN', an(43))],
    keep: [`NETLIFY_AUTH_TOKEN = "${x(43)}"`],
  },
  'fastly-api-token': { find: [kv('FASTLY_API_TOKEN', an(32))], keep: [`FASTLY_API_TOKEN = "${x(32)}"`] },
  'doppler-api-token': { find: [say(`dp.pt.${an(43)}`)], keep: [`dp.pt.${x(43)}`] },
  'pulumi-api-token': { find: [say(`pul-${hex(40)}`)], keep: [`pul-${x(40)}`] },
  'prefect-api-token': { find: [say(`pnu_${an(36)}`)], keep: [`pnu_${x(36)}`] },
  'infracost-api-token': { find: [say(`ico-${an(32)}`)], keep: [`ico-${x(32)}`] },
  'dynatrace-api-token': { find: [say(`dt0c01.${ua(24)}.${an(64)}`)], keep: [`dt0c01.${x(24)}.${x(64)}`] },
  'datadog-access-token': { find: [kv('DATADOG_API_KEY', hex(32))], keep: [`DATADOG_API_KEY = "${x(32)}"`] },
  'new-relic-key': { find: [say(`NRAK-${ua(27)}`)], keep: [`NRAK-${'X'.repeat(27)}`] },
  'new-relic-user-api-id': {
    find: [kv('NEW_RELIC_USER_ID', la(64))],
    keep: [`NEW_RELIC_USER_ID = "${x(64)}"`],
  },
  'sentry-access-token': {
    find: [kv('SENTRY_AUTH_TOKEN', hex(64))],
    keep: [`SENTRY_AUTH_TOKEN = "${x(64)}"`],
  },
  'sentry-token': {
    find: [
      say(`sntryu_${hex(64)}`),
      ((t) => [`https://api.example.com/v1/hook?auth=${t}`, t])(
        encodeURIComponent(`sntrys_eyJpYXQiO${b64(60)}LCJyZWdpb25fdXJs${b64(40)}==_${b64(43)}`),
      ),
    ],
    keep: [`sntryu_${x(64)}`, `sntrys_eyJ${x(40)}_${x(43)}`],
  },
  'grafana-token': { find: [say(`glsa_${an(32)}_${hex(8)}`)], keep: [`glsa_${x(32)}_${x(8)}`] },
  'sumologic-access-token': {
    find: [kv('SUMO_ACCESS_KEY', la(64)), kv('SUMO_ACCESS_ID', `su${an(12)}`)],
    keep: [`SUMO_ACCESS_KEY = "${x(64)}"`, 'sumOfExposures = sumOfExposures;'],
  },
  'okta-access-token': {
    find: [kv('OKTA_API_TOKEN', `00${an(40)}`)],
    keep: [`OKTA_API_TOKEN = "00${x(40)}"`],
  },
  'authress-service-client-access-key': {
    find: [say(`sc_${la(10)}.${la(5)}.acc_${la(20)}.${b64(60)}`)],
    keep: ['sc_ prefix means service client'],
  },
  'defined-networking-api-token': {
    find: [say(`dnkey-${an(26)}-${an(52)}`)],
    keep: [`dnkey-${x(26)}-${x(52)}`],
  },
  '1password-secret-key': {
    find: [say(`A3-${ua(6)}-${ua(11)}-${ua(5)}-${ua(5)}-${ua(5)}`)],
    keep: ['A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX'],
  },
  '1password-service-account-token': { find: [say(`ops_eyJ${an(260)}`)], keep: [`ops_eyJ${x(260)}`] },
  'age-secret-key': {
    find: [say(`AGE-SECRET-KEY-1${gen('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`)],
    keep: ['AGE-SECRET-KEY-1 is how they start'],
  },
  'github-token': { find: [say(`ghp_${an(36)}`)], keep: [`ghp_${x(36)}`] },
  'gitlab-token': {
    find: [
      say(`glpat-${an(20)}`),
      say(`glcbt-1_${an(20)}`),
      ((v): [string, string] => [`Cookie: _gitlab_session=${v}`, v])(la(32)),
    ],
    keep: [`glpat-${x(20)}`, `glcbt-1_${x(20)}`],
  },
  'npm-token': { find: [say(`npm_${an(36)}`)], keep: [`npm_${x(36)}`] },
  'pypi-token': { find: [say(`pypi-AgEIcHlwaS5vcmc${an(60)}`)], keep: ['pypi-AgE (a prefix alone)'] },
  'atlassian-token': {
    find: [say(`ATATT3${an(180)}`), kv('JIRA_API_TOKEN', `${la(20)}${hex(4)}`)],
    keep: [`ATATT3${x(180)}`, 'jira_project = "customer-onboarding"'],
  },
  'linear-key': { find: [say(`lin_api_${an(40)}`)], keep: [`lin_api_${x(40)}`] },
  'linear-client-secret': {
    find: [kv('LINEAR_CLIENT_SECRET', hex(32))],
    keep: ['linear_team = "platform-squad"'],
  },
  'bitbucket-client-secret': {
    find: [kv('BITBUCKET_CLIENT_SECRET', la(64))],
    keep: ['bitbucket_workspace = "acme-team"'],
  },
  'rubygems-api-token': { find: [say(`rubygems_${hex(48)}`)], keep: [`rubygems_${x(48)}`] },
  'clojars-api-token': { find: [say(`CLOJARS_${la(60)}`)], keep: [`CLOJARS_${x(60)}`] },
  'nuget-config-password': {
    find: [((p) => [`<add key="ClearTextPassword" value="${p}" />`, p])(`N${an(14)}!`)],
    keep: ['<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />'],
  },
  'jfrog-api-key': { find: [kv('ARTIFACTORY_API_KEY', la(73))], keep: [`ARTIFACTORY_API_KEY = "${x(73)}"`] },
  'artifactory-token': { find: [say(`AKCp${an(69)}`)], keep: [`AKCp${x(69)}`] },
  'droneci-access-token': { find: [kv('DRONECI_TOKEN', la(32))], keep: [`DRONECI_TOKEN = "${x(32)}"`] },
  'travisci-access-token': { find: [kv('TRAVIS_TOKEN', la(22))], keep: [`TRAVIS_TOKEN = "${x(22)}"`] },
  'codecov-access-token': { find: [kv('CODECOV_TOKEN', uuid())], keep: [`CODECOV_TOKEN = "${x(32)}"`] },
  'snyk-api-token': {
    // Make's POSIX `:::=` too, as gitleaks' samples write it.
    find: [kv('SNYK_TOKEN', uuid()), ((v): [string, string] => [`SNYK_TOKEN :::= "${v}"`, v])(uuid())],
    keep: ['SNYK_TOKEN = "your-snyk-token"'],
  },
  'sonar-api-token': {
    find: [kv('SONAR_TOKEN', la(40)), say(`squ_${hex(40)}`)],
    keep: [`SONAR_TOKEN = "${x(40)}"`, `squ_${x(40)}`],
  },
  'sourcegraph-access-token': {
    find: [
      say(`sgp_${hex(16)}_${hex(40)}`),
      ((v): [string, string] => [`sourcegraph: ${v}`, v])(hexMixed(40)),
    ],
    keep: [`sgp_${x(40)}`, `sourcegraph: ${'0'.repeat(40)}`],
  },
  'harness-api-key': { find: [say(`pat.${an(22)}.${an(24)}.${an(20)}`)], keep: ['pat.example.token.here'] },
  'octopus-deploy-api-key': { find: [say(`API-${ua(26)}`)], keep: [`API-${'X'.repeat(26)}`] },
  'gitter-access-token': { find: [kv('GITTER_TOKEN', la(40))], keep: [`GITTER_TOKEN = "${x(40)}"`] },
  'sidekiq-secret': {
    find: [
      kv('BUNDLE_ENTERPRISE__CONTRIBSYS__COM', `${hex(8)}:${hex(8)}`),
      // Hex made of letters only (`cafebabe:deadbeef`, gitleaks' own sample) is one too under that name.
      kv('BUNDLE_GEMS__CONTRIBSYS__COM', `${gen('abcdef', 8)}:${gen('abcdef', 8)}`),
    ],
    keep: ['BUNDLE_ENTERPRISE__CONTRIBSYS__COM = "xxxxxxxx:xxxxxxxx"'],
  },
  'readme-api-token': { find: [say(`rdme_${la(70)}`)], keep: [`rdme_${x(70)}`] },
  'postman-api-token': { find: [say(`PMAK-${hex(24)}-${hex(34)}`)], keep: [`PMAK-${x(24)}-${x(34)}`] },
  'frameio-api-token': { find: [say(`fio-u-${an(64)}`)], keep: [`fio-u-${x(64)}`] },
  'intra42-client-secret': { find: [say(`s-s4t2ud-${hex(64)}`)], keep: [`s-s4t2ud-${x(64)}`] },
  'slack-webhook': {
    find: [
      ((u) => [u, u])(`https://hooks.slack.com/services/T${ua(8)}/B${ua(8)}/${an(24)}`),
      // Config values often leave the scheme out.
      ((u) => [`SLACK_WEBHOOK = "${u}"`, u])(`hooks.slack.com/workflows/${an(44)}`),
    ],
    keep: [
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'hooks.slack.com/services/ (the webhook URL goes here)',
    ],
  },
  'slack-token': {
    find: [say(`xoxb-${dig(12)}-${dig(12)}-${an(24)}`)],
    keep: [
      'xoxb-your-bot-token',
      'xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere',
      'xoxp-1234567890',
      `xoxp-${dig(12)}-${dig(12)}-${dig(12)}-${'#'.repeat(20)}`,
    ],
  },
  'teams-webhook': {
    find: [
      ((u) => [u, u])(
        `https://acme.webhook.office.com/webhookb2/${uuid()}@${uuid()}/IncomingWebhook/${hex(32)}/${uuid()}`,
      ),
    ],
    keep: ['https://acme.webhook.office.com/webhookb2/<your-webhook>'],
  },
  'discord-webhook': {
    find: [((u) => [u, u])(`https://discord.com/api/webhooks/${dig(18)}/${an(68)}`)],
    keep: ['https://discord.com/api/webhooks/<id>/<token>'],
  },
  'discord-bot-token': {
    find: [((t): [string, string] => [`Authorization: Bot ${t}`, t])(`M${an(25)}.${an(6)}.${an(38)}`)],
    keep: ['the bot reads docs.python.org.for details'],
  },
  'discord-token': {
    find: [kv('DISCORD_CLIENT_SECRET', an(32))],
    keep: [`DISCORD_CLIENT_SECRET = "${x(32)}"`],
  },
  'telegram-bot-token': {
    find: [say(`${dig(10)}:AA${an(33)}`), kv('TELEGRAM_BOT', `${dig(9)}:A${la(34)}`)],
    keep: [`${dig(10)}:AA${x(33)}`, 'telegram_channel = "release-notes"'],
  },
  'sendgrid-key': { find: [say(`SG.${an(22)}.${an(43)}`)], keep: [`SG.${x(22)}.${x(43)}`] },
  'twilio-key': { find: [say(`SK${hex(32)}`)], keep: [`SK${x(32)}`] },
  'mailgun-key': {
    find: [say(`key-${hex(32)}`), kv('MAILGUN_PUBLIC_KEY', `pubkey-${hex(32)}`)],
    keep: [`key-${x(32)}`, 'mailgun_domain = "mg.example.com"'],
  },
  'mailchimp-key': {
    find: [say(`${hex(32)}-us12`), say(`${hexMixed(32)}-us7`)],
    keep: [`${x(32)}-us12`, 'the -us12 data centre'],
  },
  'sendinblue-api-token': {
    find: [say(`xkeysib-${hex(64)}-${an(16)}`)],
    keep: [`xkeysib-${x(64)}-${x(16)}`],
  },
  'mattermost-access-token': {
    find: [kv('MATTERMOST_TOKEN', la(26))],
    keep: [`MATTERMOST_TOKEN = "${x(26)}"`],
  },
  'messagebird-api-token': {
    find: [kv('MESSAGEBIRD_API_KEY', la(25))],
    keep: [`MESSAGEBIRD_API_KEY = "${x(25)}"`],
  },
  'sendbird-access-token': {
    find: [kv('SENDBIRD_API_TOKEN', hex(40))],
    keep: [`SENDBIRD_API_TOKEN = "${x(40)}"`],
  },
  'intercom-api-key': {
    find: [kv('INTERCOM_ACCESS_TOKEN', an(60))],
    keep: [`INTERCOM_ACCESS_TOKEN = "${x(60)}"`],
  },
  'zendesk-secret-key': { find: [kv('ZENDESK_API_TOKEN', la(40))], keep: [`ZENDESK_API_TOKEN = "${x(40)}"`] },
  'twitch-api-token': { find: [kv('TWITCH_OAUTH', la(30))], keep: [`TWITCH_OAUTH = "${x(30)}"`] },
  'twitter-token': { find: [kv('TWITTER_API_SECRET', la(50))], keep: ['twitter_handle = "acme_support"'] },
  'facebook-access-token': {
    find: [say(`${dig(16)}|${an(32)}`)],
    keep: ['1234567890123456|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
  'facebook-page-access-token': { find: [say(`EAAC${an(110)}`)], keep: [`EAAC${x(110)}`] },
  'facebook-secret': {
    find: [kv('FACEBOOK_APP_SECRET', hex(32))],
    keep: [`FACEBOOK_APP_SECRET = "${x(32)}"`],
  },
  'linkedin-client-secret': {
    find: [kv('LINKEDIN_CLIENT_SECRET', la(16))],
    keep: ['linkedin_page = "acme-corp"'],
  },
  'flickr-access-token': { find: [kv('FLICKR_API_KEY', la(32))], keep: [`FLICKR_API_KEY = "${x(32)}"`] },
  'beamer-api-token': {
    find: [kv('BEAMER_API_KEY', `b_${an(44)}`)],
    keep: [`BEAMER_API_KEY = "b_${x(44)}"`],
  },
  'typeform-api-token': { find: [say(`tfp_${an(59)}`)], keep: [`tfp_${x(59)}`] },
  'stripe-key': { find: [say(`sk_live_${an(24)}`)], keep: [`sk_live_${x(24)}`] },
  'shopify-token': { find: [say(`shpat_${hex(32)}`)], keep: [`shpat_${x(32)}`] },
  'square-access-token': { find: [say(`sq0atp-${an(22)}`)], keep: [`sq0atp-${x(22)}`] },
  'plaid-token': { find: [kv('PLAID_SECRET', la(30))], keep: [`PLAID_SECRET = "${x(30)}"`] },
  'coinbase-access-token': { find: [kv('COINBASE_TOKEN', an(64))], keep: [`COINBASE_TOKEN = "${x(64)}"`] },
  'kraken-access-token': { find: [kv('KRAKEN_API_KEY', b64(86))], keep: [`KRAKEN_API_KEY = "${x(86)}"`] },
  'kucoin-token': { find: [kv('KUCOIN_KEY', hex(24))], keep: [`KUCOIN_KEY = "${x(24)}"`] },
  'bittrex-key': { find: [kv('BITTREX_API_KEY', la(32))], keep: [`BITTREX_API_KEY = "${x(32)}"`] },
  'gocardless-api-token': {
    find: [kv('GOCARDLESS_TOKEN', `live_${an(40)}`)],
    keep: [`GOCARDLESS_TOKEN = "live_${x(40)}"`],
  },
  'flutterwave-key': {
    find: [
      say(`FLWSECK_TEST-${gen('abcdefgh0123456789', 32)}-X`),
      say(`FLWSECK-${gen('abcdefgh0123456789', 32)}-X`),
    ],
    keep: [`FLWSECK_TEST-${x(32)}-X`],
  },
  'finicity-token': { find: [kv('FINICITY_APP_KEY', hex(32))], keep: [`FINICITY_APP_KEY = "${x(32)}"`] },
  'finnhub-access-token': { find: [kv('FINNHUB_TOKEN', la(20))], keep: [`FINNHUB_TOKEN = "${x(20)}"`] },
  'duffel-api-token': { find: [say(`duffel_test_${an(43)}`)], keep: [`duffel_test_${x(43)}`] },
  'easypost-api-token': { find: [say(`EZAK${an(54)}`)], keep: [`EZAK${x(54)}`] },
  'shippo-api-token': { find: [say(`shippo_live_${hex(40)}`)], keep: [`shippo_live_${x(40)}`] },
  'lob-api-key': { find: [kv('LOB_API_KEY', `live_${hex(35)}`)], keep: ['global_mode = "live"'] },
  'freshbooks-access-token': {
    find: [kv('FRESHBOOKS_TOKEN', la(64))],
    keep: [`FRESHBOOKS_TOKEN = "${x(64)}"`],
  },
  'freemius-secret-key': {
    find: [kv('secret_key', `sk_${an(29)}`)],
    keep: ['secret_key = "sk_<your secret>"'],
  },
  'etsy-access-token': { find: [kv('ETSY_API_KEY', la(24))], keep: [`ETSY_API_KEY = "${x(24)}"`] },
  'settlemint-token': { find: [say(`sm_pat_${an(16)}`)], keep: [`sm_pat_${x(16)}`] },
  'notion-token': { find: [say(`ntn_${dig(11)}${an(35)}`)], keep: [`ntn_${x(46)}`] },
  'adafruit-api-key': {
    // An XML element holds its value on the line below too.
    find: [kv('ADAFRUIT_IO_KEY', la(32)), ((v) => [`<adafruitKey>\n    ${v}\n</adafruitKey>`, v])(la(32))],
    keep: [`ADAFRUIT_IO_KEY = "${x(32)}"`, `<adafruitKey>\n    ${x(32)}\n</adafruitKey>`],
  },
  'adobe-client-id': { find: [kv('ADOBE_CLIENT_ID', hex(32))], keep: ['adobe_font = "source-sans-pro"'] },
  'adobe-client-secret': { find: [say(`p8e-${an(32)}`)], keep: [`p8e-${x(32)}`] },
  'airtable-api-key': { find: [kv('AIRTABLE_API_KEY', la(17))], keep: [`AIRTABLE_API_KEY = "${x(17)}"`] },
  'airtable-personal-access-token': { find: [say(`pat${an(14)}.${hex(64)}`)], keep: ['path.to.the.file'] },
  'algolia-api-key': { find: [kv('ALGOLIA_ADMIN_KEY', la(32))], keep: [`ALGOLIA_ADMIN_KEY = "${x(32)}"`] },
  'asana-client-secret': {
    // A client id of 16 digits from few distinct ones (entropy about 2.4) is still one.
    find: [kv('ASANA_CLIENT_SECRET', la(32)), kv('ASANA_CLIENT_ID', gen('013578', 16))],
    keep: [`ASANA_CLIENT_SECRET = "${x(32)}"`, 'ASANA_CLIENT_ID = "1212121212121212"'],
  },
  'contentful-delivery-api-token': {
    find: [kv('CONTENTFUL_TOKEN', an(43))],
    keep: [`CONTENTFUL_TOKEN = "${x(43)}"`],
  },
  'dropbox-api-token': {
    find: [kv('DROPBOX_TOKEN', `sl.${an(135)}`)],
    keep: [`DROPBOX_TOKEN = "sl.${x(135)}"`],
  },
  'hubspot-api-key': {
    find: [kv('HUBSPOT_API_KEY', uuid()), say(`pat-na1-${uuid()}`)],
    keep: ['HUBSPOT_API_KEY = "your-hubspot-key"', 'pat-na1-xxxxxxxx'],
  },
  'launchdarkly-access-token': {
    find: [kv('LAUNCHDARKLY_SDK_KEY', an(40))],
    keep: [`LAUNCHDARKLY_SDK_KEY = "${x(40)}"`],
  },
  'looker-client-secret': {
    find: [kv('LOOKER_CLIENT_SECRET', la(24))],
    keep: [`LOOKER_CLIENT_SECRET = "${x(24)}"`],
  },
  'mapbox-api-token': {
    find: [kv('MAPBOX_TOKEN', `pk.${la(60)}.${la(22)}`)],
    keep: [`MAPBOX_TOKEN = "pk.${x(60)}.${x(22)}"`],
  },
  'maxmind-license-key': { find: [say(`${an(6)}_${an(29)}_mmk`)], keep: [`${x(6)}_${x(29)}_mmk`] },
  'nytimes-access-token': { find: [kv('NYTIMES_API_KEY', an(32))], keep: [`NYTIMES_API_KEY = "${x(32)}"`] },
  'rapidapi-access-token': { find: [kv('RAPIDAPI_KEY', an(50))], keep: [`RAPIDAPI_KEY = "${x(50)}"`] },
  'squarespace-access-token': {
    find: [kv('SQUARESPACE_API_KEY', uuid())],
    keep: ['SQUARESPACE_API_KEY = "your-key"'],
  },
  'cisco-meraki-api-key': { find: [kv('MERAKI_API_KEY', hex(40))], keep: [`MERAKI_API_KEY = "${x(40)}"`] },
  // Providers gitleaks has no rule for, added after later samples so that the seeded ones above stay the same.
  'xai-api-key': { find: [say(`xai-${an(80)}`)], keep: [`xai-${x(80)}`] },
  'groq-api-key': { find: [say(`gsk_${an(52)}`)], keep: [`gsk_${x(52)}`] },
  'replicate-api-token': { find: [say(`r8_${an(37)}`)], keep: [`r8_${x(37)}`] },
  'tavily-api-key': { find: [say(`tvly-${an(32)}`), say(`tvly-dev-${an(32)}`)], keep: [`tvly-${x(32)}`] },
  'langsmith-api-key': { find: [say(`lsv2_pt_${hex(32)}_${hex(10)}`)], keep: [`lsv2_pt_${x(32)}_${x(10)}`] },
  'supabase-access-token': { find: [say(`sbp_${hex(40)}`)], keep: [`sbp_${'0'.repeat(40)}`] },
  'figma-access-token': { find: [say(`figd_${an(40)}`)], keep: [`figd_${x(40)}`] },
  'zapier-webhook': {
    find: [say(`https://hooks.zapier.com/hooks/catch/${dig(7)}/${la(7)}/`)],
    keep: ['https://zapier.com/apps/webhook/integrations'],
  },
  'make-webhook': {
    find: [say(`https://hook.eu1.make.com/${la(32)}`), say(`https://hook.integromat.com/${la(32)}`)],
    keep: ['https://hook.eu1.make.com/<your-webhook-id>', 'https://www.make.com/en/help/tools/webhooks'],
  },
  'ifttt-webhook': {
    find: [
      say(`https://maker.ifttt.com/trigger/order_paid/with/key/${an(22)}`),
      say(`https://maker.ifttt.com/key/${an(22)}`),
    ],
    keep: ['https://maker.ifttt.com/trigger/{event}/with/key/{your-key}'],
  },
  'nvidia-api-key': { find: [say(`nvapi-${an(64)}`)], keep: [`nvapi-${x(64)}`, 'the nvapi-key header'] },
  'jina-api-key': {
    find: [say(`jina_${hex(32)}${an(28)}`)],
    keep: [`jina_${x(60)}`, 'model: jina_embeddings_v3_multilingual_base_model_for_search'],
  },
  'together-api-key': { find: [say(`tgp_v1_${an(43)}`)], keep: [`tgp_v1_${x(43)}`] },
  'fireworks-api-key': {
    find: [say(`fw_${an(24)}`)],
    keep: [`fw_${x(24)}`, 'set fw_versionNumberForTheBootloader in the config'],
  },
  'cerebras-api-key': { find: [say(`csk-${la(48)}`)], keep: [`csk-${x(48)}`] },
  'voyage-api-key': {
    find: [say(`pa-${an(43)}`)],
    keep: [`pa-${x(43)}`, 'the pa-system-announcement-for-the-claims-team-channel-alerts is on'],
  },
  'elevenlabs-api-key': { find: [say(`sk_${hex(48)}`)], keep: [`sk_${'0'.repeat(48)}`] },
  'pinecone-api-key': { find: [say(`pcsk_${an(5)}_${an(64)}`)], keep: [`pcsk_xxxxx_${x(64)}`] },
  'docker-hub-token': {
    find: [say(`dckr_pat_${an(27)}`), say(`dckr_oat_${an(32)}`)],
    keep: [`dckr_pat_${x(27)}`],
  },
  'circleci-token': { find: [say(`CCIPAT_${an(22)}_${hex(40)}`)], keep: [`CCIPAT_${x(22)}_${x(40)}`] },
  'datastax-astra-token': {
    find: [say(`AstraCS:${gen(LOWER + UPPER, 24)}:${hex(64)}`)],
    keep: [`AstraCS:${x(24)}:${x(64)}`],
  },
  'resend-api-key': {
    find: [say(`re_${an(8)}_${an(24)}`)],
    keep: [`re_${x(8)}_${x(24)}`, 'see re_processClaimsBatch_forTheNightlyRun'],
  },
  'langfuse-secret-key': {
    find: [say(`sk-lf-${uuid()}`)],
    keep: ['pk-lf-0f2c3a4b-1d2e-4f5a-8b9c-0d1e2f3a4b5c', 'see sk-lf-docs for the key'],
  },
  'firecrawl-api-key': {
    find: [say(`fc-${hex(32)}`)],
    keep: [`fc-${'0'.repeat(32)}`, 'fc-barcelona-fan-club'],
  },
  'supabase-secret-key': {
    find: [say(`sb_secret_${an(31)}`)],
    keep: [`sb_secret_${x(31)}`, 'sb_publishable_abcdefghijklmnopqrstuvwxyz0123'],
  },

  'netlify-personal-token': {
    find: [say(`nfp_${an(36)}`)],
    keep: [`nfp_${x(36)}`, 'nfp_rules_for_the_team'],
  },
  'render-api-key': {
    find: [say(`rnd_${an(32)}`)],
    keep: [`rnd_${x(32)}`, 'rnd_seed_for_tests'],
  },
  'plaid-access-token': {
    find: [say(`access-production-${uuid()}`)],
    keep: [
      'access-production-00000000-0000-0000-0000-000000000000',
      'grant access-production-servers to ops',
    ],
  },
  'twitch-chat-token': {
    find: [say(`oauth:${la(30)}`)],
    keep: [`oauth:${x(30)}`, 'oauth:authorize then exchange the code'],
  },
  'dropbox-short-lived-token': {
    find: [say(`sl.u.${gen(`${AN}_-`, 140)}`)],
    keep: [`sl.${x(140)}`, 'see sl.example for the list'],
  },
  'contentful-personal-token': {
    find: [say(`CFPAT-${gen(`${AN}_-`, 43)}`)],
    keep: [`CFPAT-${x(43)}`, 'CFPAT-tokens are made in the web app'],
  },
  'bitbucket-app-password': {
    find: [say(`ATBB${an(32)}`)],
    keep: [`ATBB${x(32)}`, 'ATBBREVIATIONS of the team'],
  },
  'firebase-cloud-messaging-key': {
    find: [say(`AAAA${an(7)}:APA91b${an(134)}`)],
    keep: [`AAAAxxxxxxx:APA91b${x(134)}`],
  },
  'putty-private-key': {
    find: [
      ((k) => [`key file:\n${k}\n`, k])(
        `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n` +
          `AAAAC3NzaC1lZDI1NTE5AAAAI${b64(43)}\nPrivate-Lines: 1\nAAAAI${b64(43)}\nPrivate-MAC: ${hex(64)}`,
      ),
    ],
    keep: [
      'Convert the key with PuTTY-User-Key-File-3 support in puttygen',
      'PuTTY-User-Key-File-3: ssh-ed25519',
    ],
  },
};
const laterSamples: Record<string, Array<[string, string]>> = {
  'doppler-api-token': [say(`dp.st.prd.${an(40)}`), say(`dp.ct.${an(43)}`)],
  'mapbox-api-token': [say(`sk.eyJ1Ijoi${an(40)}.${an(22)}`)],
};
for (const [id, find] of Object.entries(laterSamples)) SAMPLES[id]!.find.push(...find);
