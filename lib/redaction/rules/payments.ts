/** Payments, commerce and finance: Stripe, Square, Shopify, Plaid, Coinbase, Kraken, Shippo, … */
import type { Rule } from '../types';
import { isPlaceholder } from '../values';
import { E, keyed, token } from './define';
import { UUID } from './shapes';

export const PAYMENT_RULES: Rule[] = [
  {
    id: 'stripe-key',
    description: 'Stripe secret/restricted key or webhook secret (sk_live_, rk_live_, sk_test_, whsec_)',
    label: 'STRIPE_SECRET_KEY',
    priority: 2,
    bounded: true,
    keywords: ['rk_live_', 'rk_prod_', 'rk_test_', 'sk_live_', 'sk_prod_', 'sk_test_', 'whsec_'],
    regex: new RegExp(
      `(?:(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,247}|whsec_[A-Za-z0-9+/=]{24,})${E}`,
      'g',
    ),
    covers: ['stripe-access-token'],
  },
  {
    id: 'shopify-token',
    description: 'Shopify access token (shpat_, shpca_, shppa_, shpss_)',
    label: 'SHOPIFY_TOKEN',
    priority: 2,
    bounded: true,
    keywords: ['shp'],
    regex: new RegExp(`shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`, 'g'),
    covers: [
      'shopify-access-token',
      'shopify-custom-access-token',
      'shopify-private-app-access-token',
      'shopify-shared-secret',
    ],
  },
  token(
    'square-access-token',
    'Square access token (EAAA…, sq0atp-…)',
    ['eaaa', 'sq0atp-'],
    '(?:EAAA|sq0atp-)[\\w-]{22,60}',
    { entropy: 2 },
  ),
  keyed(
    'plaid-token',
    'Plaid access token, client id or secret',
    ['plaid'],
    `access-(?:sandbox|development|production)-${UUID}|[a-z0-9]{30}|[a-z0-9]{24}`,
    { covers: ['plaid-api-token', 'plaid-client-id', 'plaid-secret-key'] },
  ),
  keyed('coinbase-access-token', 'Coinbase access token', ['coinbase'], '[a-z0-9_-]{64}'),
  keyed('kraken-access-token', 'Kraken access token', ['kraken'], '[a-z0-9/=_+\\-]{80,90}'),
  keyed('kucoin-token', 'KuCoin access token or secret', ['kucoin'], `${UUID}|[a-f0-9]{24}`, {
    covers: ['kucoin-access-token', 'kucoin-secret-key'],
  }),
  keyed('bittrex-key', 'Bittrex access key or secret', ['bittrex'], '[a-z0-9]{32}', {
    covers: ['bittrex-access-key', 'bittrex-secret-key'],
  }),
  keyed('gocardless-api-token', 'GoCardless access token', ['gocardless'], 'live_[a-z0-9\\-_=]{40}'),
  token(
    'flutterwave-key',
    'Flutterwave secret keys, live and test (FLWSECK-, FLWSECK_TEST-), test public keys (FLWPUBK_TEST-)',
    ['flwseck', 'flwpubk_test'],
    'FLWSECK(?:_TEST)?-[a-hA-H0-9]{32}-X|FLWPUBK_TEST-[a-hA-H0-9]{32}-X|FLWSECK_TEST-?[a-hA-H0-9]{12}',
    { covers: ['flutterwave-secret-key', 'flutterwave-public-key', 'flutterwave-encryption-key'] },
  ),
  keyed('finicity-token', 'Finicity API token or client secret', ['finicity'], '[a-f0-9]{32}|[a-z0-9]{20}', {
    covers: ['finicity-api-token', 'finicity-client-secret'],
  }),
  keyed('finnhub-access-token', 'Finnhub API key', ['finnhub'], '[a-z0-9]{20}'),
  token(
    'duffel-api-token',
    'Duffel API token (duffel_test_, duffel_live_)',
    ['duffel_'],
    'duffel_(?:test|live)_[A-Za-z0-9_\\-=]{43}',
    { entropy: 2 },
  ),
  token('easypost-api-token', 'EasyPost API key (EZAK…, EZTK…)', ['ezak', 'eztk'], 'EZ[AT]K[A-Za-z0-9]{54}', {
    covers: ['easypost-api-token', 'easypost-test-api-token'],
    entropy: 2,
  }),
  token(
    'shippo-api-token',
    'Shippo API token (shippo_live_, shippo_test_)',
    ['shippo_'],
    'shippo_(?:live|test)_[a-fA-F0-9]{40}',
    { entropy: 2 },
  ),
  keyed('lob-api-key', 'Lob API key', ['lob'], '(?:live|test)_pub_[a-f0-9]{31}|(?:live|test)_[a-f0-9]{35}', {
    covers: ['lob-api-key', 'lob-pub-api-key'],
  }),
  keyed('freshbooks-access-token', 'FreshBooks token', ['freshbooks'], '[a-z0-9]{64}'),
  keyed('freemius-secret-key', 'Freemius secret key', ['secret_key'], 'sk_[^\\s"\'`\\\\]{29}', {
    validate: (secret) => !isPlaceholder(secret),
  }),
  keyed('etsy-access-token', 'Etsy API key', ['etsy'], '[a-z0-9]{24}'),
  token(
    'settlemint-token',
    'SettleMint access token (sm_aat_, sm_pat_, sm_sat_)',
    ['sm_aat', 'sm_pat', 'sm_sat'],
    'sm_(?:aat|pat|sat)_[a-zA-Z0-9]{16}',
    {
      covers: [
        'settlemint-application-access-token',
        'settlemint-personal-access-token',
        'settlemint-service-access-token',
      ],
      entropy: 3,
    },
  ),
  token(
    'plaid-access-token',
    'Plaid access token (access-production-, -development- or -sandbox- and a UUID)',
    ['access-production-', 'access-development-', 'access-sandbox-'],
    `access-(?:production|development|sandbox)-${UUID}`,
    { entropy: 3, covers: [] },
  ),
];
