/** Messaging, e-mail and social platforms: Slack, Discord, Telegram, Teams, Twilio, SendGrid, Twitter, … */
import type { Rule } from '../types';
import { isWordish, looksRandom, shannonEntropy } from '../values';
import { E, keyed, token } from './define';
import { UUID } from './shapes';

export const MESSAGING_RULES: Rule[] = [
  {
    id: 'slack-webhook',
    description: 'Slack incoming-webhook or workflow URL',
    label: 'SLACK_WEBHOOK_URL',
    priority: 1,
    keywords: ['hooks.slack.com'],
    // The scheme is often left out (`hooks.slack.com/services/…` in a config value).
    regex: /(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,200}/g,
    covers: ['slack-webhook-url'],
  },
  {
    id: 'slack-token',
    description: 'Slack token (xoxb-, xoxp-, xoxa-, xoxe-, xapp-)',
    label: 'SLACK_TOKEN',
    priority: 2,
    bounded: true,
    keywords: ['xapp-', 'xox'],
    regex: new RegExp(
      `(?:xox[abposrce](?:\\.[A-Za-z0-9]+)?-[A-Za-z0-9-]{10,250}|xapp-\\d-[A-Z0-9]{6,}-\\d{6,}-[a-z0-9]{20,})${E}`,
      'g',
    ),
    // Real Slack tokens hold digits (team and user ids) and a random part with letters: `xoxb-your-bot-token`
    // and `xoxe.xoxp-1-SlackAppConfigurationAccessTokenHere` (words) are placeholders, `xoxp-1234567890` (ids
    // alone) and `xoxp-…-572331691188-####` (its random part masked, the match ending at the `-`) are not tokens.
    validate: (secret) =>
      /\d/.test(secret) && /[A-Za-z]/.test(secret.slice(5)) && !secret.endsWith('-') && !isWordish(secret),
    covers: [
      'slack-bot-token',
      'slack-user-token',
      'slack-app-token',
      'slack-legacy-token',
      'slack-legacy-bot-token',
      'slack-legacy-workspace-token',
      'slack-config-access-token',
      'slack-config-refresh-token',
    ],
  },
  {
    id: 'teams-webhook',
    description: 'Microsoft Teams incoming-webhook URL',
    label: 'TEAMS_WEBHOOK_URL',
    priority: 1,
    keywords: ['outlook.office', 'webhook.office.com'],
    regex:
      /https?:\/\/(?:[\w-]{1,63}\.webhook\.office\.com\/webhookb2|outlook\.office(?:365)?\.com\/webhook(?:b2)?)\/[A-Za-z0-9@/_=-]{40,600}/g,
    covers: ['microsoft-teams-webhook'],
  },
  {
    id: 'discord-webhook',
    description: 'Discord webhook URL',
    label: 'DISCORD_WEBHOOK_URL',
    priority: 1,
    keywords: ['discord'],
    regex:
      /https?:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,30}\/[A-Za-z0-9_-]{40,100}/gi,
    covers: [],
  },
  // Automation webhooks a workflow calls: whoever has the URL can trigger the automation, so the URL is the secret.
  {
    id: 'zapier-webhook',
    description: 'Zapier catch-hook URL',
    label: 'ZAPIER_WEBHOOK_URL',
    priority: 1,
    keywords: ['hooks.zapier.com'],
    regex: /https?:\/\/hooks\.zapier\.com\/hooks\/catch\/\d{3,12}\/[A-Za-z0-9]{5,12}\/?/g,
    covers: [],
  },
  {
    id: 'ifttt-webhook',
    description: 'IFTTT Webhooks (Maker) URL with its key',
    label: 'IFTTT_WEBHOOK_URL',
    priority: 1,
    keywords: ['maker.ifttt.com'],
    regex:
      /https?:\/\/maker\.ifttt\.com\/(?:trigger\/[^/\s"'`?#]{1,100}\/(?:json\/)?with\/)?key\/[A-Za-z0-9_-]{20,50}/g,
    covers: [],
  },
  {
    id: 'make-webhook',
    description: 'Make (Integromat) webhook URL',
    label: 'MAKE_WEBHOOK_URL',
    priority: 1,
    keywords: ['make.com', 'integromat.com'],
    regex: /https?:\/\/hook\.(?:[a-z]{2}\d\.make\.com|integromat\.com)\/[a-z0-9]{32}(?![A-Za-z0-9])/g,
    covers: [],
  },
  {
    id: 'discord-bot-token',
    description: 'Discord bot token',
    label: 'DISCORD_BOT_TOKEN',
    priority: 3,
    bounded: true,
    // No prefix anchors it, and a `.` is in nearly every text (which would make every line of a package a
    // candidate of the final check): it goes with the words around it (`DISCORD_TOKEN`, `Bot …`, `login(`).
    keywords: ['discord', 'bot', 'token', 'login'],
    when: (text) => text.length >= 59,
    regex: new RegExp(`[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}${E}`, 'g'),
    validate: (secret) => /\d/.test(secret) && shannonEntropy(secret) > 4,
    covers: [],
  },
  keyed(
    'discord-token',
    'Discord API token, client id or client secret after its name',
    ['discord'],
    '[a-f0-9]{64}|[0-9]{18}|[a-z0-9=_\\-]{32}',
    { covers: ['discord-api-token', 'discord-client-id', 'discord-client-secret'] },
  ),
  {
    id: 'telegram-bot-token',
    description: 'Telegram bot token (123456789:AA…)',
    label: 'TELEGRAM_BOT_TOKEN',
    priority: 2,
    keywords: [':aa'],
    regex: /(?<!\d)\d{8,10}:AA[A-Za-z0-9_-]{33}(?![A-Za-z0-9_-])/g,
    covers: ['telegram-bot-api-token'],
  },
  keyed(
    'telegram-bot-token',
    'Telegram bot token after its name',
    ['telegr'],
    '[0-9]{5,16}:A[a-z0-9_\\-]{34}',
    { label: 'TELEGRAM_BOT_TOKEN', covers: ['telegram-bot-api-token'] },
  ),
  {
    id: 'sendgrid-key',
    description: 'SendGrid API key (SG.….…)',
    label: 'SENDGRID_API_KEY',
    priority: 2,
    bounded: true,
    keywords: ['sg.'],
    regex: new RegExp(`SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`, 'g'),
    covers: ['sendgrid-api-token'],
  },
  {
    id: 'twilio-key',
    description: 'Twilio API key SID (SK + 32 hex)',
    label: 'TWILIO_API_KEY',
    priority: 2,
    // `sk` is in many words (ask, task): the rule then runs, and its regex fails fast.
    keywords: ['sk'],
    regex: /(?<![A-Za-z0-9])SK[0-9a-fA-F]{32}(?![A-Za-z0-9])/g,
    covers: ['twilio-api-key'],
  },
  {
    id: 'mailgun-key',
    description: 'Mailgun API key (key-…)',
    label: 'MAILGUN_API_KEY',
    priority: 2,
    keywords: ['key-'],
    regex: /(?<![A-Za-z0-9_-])key-[0-9a-f]{32}(?![A-Za-z0-9])/g,
    covers: ['mailgun-private-api-token'],
  },
  keyed(
    'mailgun-key',
    'Mailgun public validation key or webhook signing key',
    ['mailgun'],
    'pubkey-[a-f0-9]{32}|[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}',
    { label: 'MAILGUN_API_KEY', covers: ['mailgun-pub-key', 'mailgun-signing-key'] },
  ),
  {
    id: 'mailchimp-key',
    description: 'Mailchimp API key (…-us12)',
    label: 'MAILCHIMP_API_KEY',
    priority: 2,
    keywords: ['-us'],
    regex: /(?<![A-Za-z0-9])[0-9a-f]{32}-us\d{1,2}(?![A-Za-z0-9])/gi,
    covers: ['mailchimp-api-key'],
  },
  token(
    'sendinblue-api-token',
    'Brevo (Sendinblue) API key (xkeysib-…)',
    ['xkeysib-'],
    'xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}',
    { entropy: 2 },
  ),
  keyed('mattermost-access-token', 'Mattermost token', ['mattermost'], '[a-z0-9]{26}'),
  keyed(
    'messagebird-api-token',
    'MessageBird API key or client id',
    ['messagebird', 'message_bird', 'message-bird'],
    `[a-z0-9]{25}|${UUID}`,
    { names: 'message[_-]?bird', covers: ['messagebird-api-token', 'messagebird-client-id'] },
  ),
  keyed('sendbird-access-token', 'Sendbird access token or app id', ['sendbird'], `[a-f0-9]{40}|${UUID}`, {
    covers: ['sendbird-access-token', 'sendbird-access-id'],
  }),
  keyed('intercom-api-key', 'Intercom access token', ['intercom'], '[a-z0-9=_\\-]{60}'),
  keyed('zendesk-secret-key', 'Zendesk API token', ['zendesk'], '[a-z0-9]{40}'),
  keyed('twitch-api-token', 'Twitch API token', ['twitch'], '[a-z0-9]{30}'),
  keyed(
    'twitter-token',
    'Twitter (X) API key, secret, access token or bearer token',
    ['twitter'],
    'A{22}[a-zA-Z0-9%]{80,100}|[0-9]{15,25}-[a-zA-Z0-9]{20,40}|[a-z0-9]{50}|[a-z0-9]{45}|[a-z0-9]{25}',
    {
      covers: [
        'twitter-api-key',
        'twitter-api-secret',
        'twitter-access-token',
        'twitter-access-secret',
        'twitter-bearer-token',
      ],
    },
  ),
  token(
    'facebook-access-token',
    'Facebook app access token (app id|secret)',
    ['|', '%7c'],
    '\\d{15,16}(?:\\||%7[Cc])[0-9A-Za-z\\-_]{27,40}',
    { entropy: 3, validate: (secret) => shannonEntropy(secret) >= 3 },
  ),
  token(
    'facebook-page-access-token',
    'Facebook page or user access token (EAAM…, EAAC…)',
    ['eaam', 'eaac'],
    'EAA[MC][A-Za-z0-9]{100,}',
    { entropy: 4 },
  ),
  keyed('facebook-secret', 'Facebook app secret', ['facebook'], '[a-f0-9]{32}'),
  keyed(
    'linkedin-client-secret',
    'LinkedIn client id or secret',
    ['linkedin', 'linked_in', 'linked-in'],
    '[a-z0-9]{16}|[a-z0-9]{14}',
    { names: 'linked[_-]?in', covers: ['linkedin-client-id', 'linkedin-client-secret'] },
  ),
  keyed('flickr-access-token', 'Flickr API key', ['flickr'], '[a-z0-9]{32}'),
  keyed('beamer-api-token', 'Beamer API key', ['beamer'], 'b_[a-z0-9=_\\-]{44}'),
  token('typeform-api-token', 'Typeform personal token (tfp_…)', ['tfp_'], 'tfp_[A-Za-z0-9\\-_.=]{59}'),
  token(
    'twitch-chat-token',
    'Twitch chat OAuth token (oauth: and 30 characters)',
    ['oauth:'],
    'oauth:[a-z0-9]{30}',
    {
      validate: (secret) => looksRandom(secret.slice(6), { minLength: 30 }),
      covers: [],
    },
  ),
];
