/** Productivity, content and data services: Notion, Airtable, Asana, Adobe, Algolia, Dropbox, HubSpot, … */
import type { Rule } from '../types';
import { E, keyed, token } from './define';
import { UUID } from './shapes';

export const SAAS_RULES: Rule[] = [
  {
    id: 'notion-token',
    description: 'Notion integration token (secret_…, ntn_…)',
    label: 'NOTION_TOKEN',
    priority: 2,
    bounded: true,
    keywords: ['ntn_', 'secret_'],
    regex: new RegExp(`(?:secret_[A-Za-z0-9]{43}|ntn_[A-Za-z0-9]{40,50})${E}`, 'g'),
    covers: ['notion-api-token'],
  },
  keyed('adafruit-api-key', 'Adafruit IO key', ['adafruit'], '[a-z0-9_-]{32}'),
  keyed('adobe-client-id', 'Adobe client id', ['adobe'], '[a-f0-9]{32}'),
  token('adobe-client-secret', 'Adobe client secret (p8e-…)', ['p8e-'], 'p8e-[A-Za-z0-9]{32}', {
    entropy: 2,
  }),
  keyed('airtable-api-key', 'Airtable API key', ['airtable'], '[a-z0-9]{17}'),
  token(
    'airtable-personal-access-token',
    'Airtable personal access token (pat….…)',
    ['pat'],
    'pat[A-Za-z0-9]{14}\\.[a-f0-9]{64}',
    { covers: ['airtable-personnal-access-token'] },
  ),
  keyed('algolia-api-key', 'Algolia API key', ['algolia'], '[a-z0-9]{32}'),
  keyed('asana-client-secret', 'Asana client id or secret', ['asana'], '[a-z0-9]{32}|[0-9]{16}', {
    covers: ['asana-client-id', 'asana-client-secret'],
  }),
  keyed('contentful-delivery-api-token', 'Contentful delivery token', ['contentful'], '[a-z0-9=_\\-]{43}'),
  keyed(
    'dropbox-api-token',
    'Dropbox token',
    ['dropbox'],
    'sl\\.[a-z0-9\\-=_]{135}|[a-z0-9]{11}AAAAAAAAAA[a-z0-9\\-_=]{43}|[a-z0-9]{15}',
    { covers: ['dropbox-api-token', 'dropbox-long-lived-api-token', 'dropbox-short-lived-api-token'] },
  ),
  keyed('hubspot-api-key', 'HubSpot API key', ['hubspot'], UUID),
  token(
    'hubspot-api-key',
    'HubSpot private-app token (pat-na1-…, pat-eu1-…)',
    ['pat-na', 'pat-eu'],
    `pat-(?:na|eu)\\d-${UUID}`,
  ),
  keyed('launchdarkly-access-token', 'LaunchDarkly access token', ['launchdarkly'], '[a-z0-9=_\\-]{40}'),
  keyed('looker-client-secret', 'Looker client id or secret', ['looker'], '[a-z0-9]{24}|[a-z0-9]{20}', {
    covers: ['looker-client-id', 'looker-client-secret'],
  }),
  keyed('mapbox-api-token', 'Mapbox token', ['mapbox'], 'pk\\.[a-z0-9]{60}\\.[a-z0-9]{22}'),
  // A secret token's first part is base64 of `{"u":"` (the user name): `sk.eyJ1Ijoi`.
  token(
    'mapbox-api-token',
    'Mapbox secret token (sk.eyJ1…)',
    ['sk.eyj1ijoi'],
    'sk\\.eyJ1Ijoi[A-Za-z0-9_-]{20,300}\\.[A-Za-z0-9_-]{20,40}',
    { entropy: 3 },
  ),
  token('figma-access-token', 'Figma personal access token (figd_…)', ['figd_'], 'figd_[\\w-]{38,50}', {
    entropy: 3.5,
    covers: [],
  }),
  token(
    'maxmind-license-key',
    'MaxMind license key (…_mmk)',
    ['_mmk'],
    '[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk',
    { entropy: 4 },
  ),
  keyed(
    'nytimes-access-token',
    'New York Times API key',
    ['nytimes', 'new-york-times', 'newyorktimes'],
    '[a-z0-9=_\\-]{32}',
  ),
  keyed('rapidapi-access-token', 'RapidAPI key', ['rapidapi'], '[a-z0-9_-]{50}'),
  keyed('squarespace-access-token', 'Squarespace API key', ['squarespace'], UUID),
  keyed('cisco-meraki-api-key', 'Cisco Meraki API key', ['meraki'], '[0-9a-f]{40}'),
  token(
    'datastax-astra-token',
    'DataStax Astra application token (AstraCS:…)',
    ['astracs:'],
    'AstraCS:[A-Za-z]{24}:[a-z0-9]{64}',
    { entropy: 3.5, covers: [] },
  ),
  token('resend-api-key', 'Resend API key (re_…)', ['re_'], 're_[A-Za-z0-9]{8}_[A-Za-z0-9]{24}', {
    entropy: 3.5,
    covers: [],
  }),
  token(
    'dropbox-short-lived-token',
    'Dropbox short-lived access token (sl. or sl.u. and 130 or more characters)',
    ['sl.'],
    'sl\\.(?:u\\.)?[A-Za-z0-9_-]{130,1400}',
    { entropy: 4, covers: [] },
  ),
  token(
    'contentful-personal-token',
    'Contentful personal access token (CFPAT-…)',
    ['cfpat-'],
    'CFPAT-[A-Za-z0-9_-]{43}',
    {
      entropy: 3.5,
      covers: [],
    },
  ),
];
