import type { ListingSeal } from './sealing.repository';

/** GET /listings/:id/seal */
export function sealToJson(seal: ListingSeal) {
  return {
    algorithm: seal.algorithm,
    publicKey: seal.publicKey.toString('base64'),
    quorum: seal.quorum,
    holders: seal.holders,
  };
}
