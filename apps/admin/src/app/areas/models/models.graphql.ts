import { gql } from 'apollo-angular';

/**
 * USD per million tokens, and per call, audio minute or million characters where set; source:
 * runtime (set here), config (the config file) or default (built in).
 */
export interface ModelPrice {
  model: string;
  input: number;
  output: number;
  cachedInput: number | null;
  perCall: number | null;
  perMinute: number | null;
  perMillionCharacters: number | null;
  source: string;
  active: boolean;
  createdBy: string | null;
  effectiveFrom: string | null;
}

export interface ModelPriceChange {
  id: string;
  model: string;
  input: number;
  output: number;
  cachedInput: number | null;
  perCall: number | null;
  perMinute: number | null;
  perMillionCharacters: number | null;
  createdBy: string | null;
  deleted: boolean;
  effectiveFrom: string;
}

export interface SetModelPriceInput {
  model: string;
  input: number;
  output: number;
  cachedInput: number | null;
  perCall: number | null;
  perMinute: number | null;
  perMillionCharacters: number | null;
}

const PRICE_FIELDS = gql`
  fragment ModelPriceFields on ModelPrice {
    model
    input
    output
    cachedInput
    perCall
    perMinute
    perMillionCharacters
    source
    active
    createdBy
    effectiveFrom
  }
`;

const CHANGE_FIELDS = gql`
  fragment ModelPriceChangeFields on ModelPriceChange {
    id
    model
    input
    output
    cachedInput
    perCall
    perMinute
    perMillionCharacters
    createdBy
    deleted
    effectiveFrom
  }
`;

export const MODEL_PRICES = gql<{ modelPrices: ModelPrice[] }, Record<string, never>>`
  query ConsoleModelPrices {
    modelPrices {
      ...ModelPriceFields
    }
  }
  ${PRICE_FIELDS}
`;

export const MODEL_PRICE_HISTORY = gql<{ modelPriceHistory: ModelPriceChange[] }, { model: string }>`
  query ConsoleModelPriceHistory($model: String!) {
    modelPriceHistory(model: $model) {
      ...ModelPriceChangeFields
    }
  }
  ${CHANGE_FIELDS}
`;

export const SET_MODEL_PRICE = gql<{ setModelPrice: ModelPrice }, { input: SetModelPriceInput }>`
  mutation ConsoleSetModelPrice($input: SetModelPriceInput!) {
    setModelPrice(input: $input) {
      ...ModelPriceFields
    }
  }
  ${PRICE_FIELDS}
`;

export const DELETE_MODEL_PRICE = gql<{ deleteModelPrice: ModelPriceChange }, { model: string }>`
  mutation ConsoleDeleteModelPrice($model: String!) {
    deleteModelPrice(model: $model) {
      ...ModelPriceChangeFields
    }
  }
  ${CHANGE_FIELDS}
`;
