import { PriceBook } from './price-book';

export { billedSeconds, toMicroUsd } from './price-book';

/** Model prices and what to do with calls to unpriced models under a budget. */
export interface Pricing {
  prices: PriceBook;
  unpricedModels: 'allow' | 'deny';
}

export const PRICING = Symbol('PRICING');

export const NO_PRICING: Pricing = { prices: new PriceBook(), unpricedModels: 'allow' };
