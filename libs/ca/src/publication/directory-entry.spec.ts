import { MAX_INGEST_ENTRIES } from '@smpki/directory';
import { MAX_DIRECTORY_BATCH } from './directory-entry';

describe('the publisher and the ingest API', () => {
  it('agree on the largest batch, so no chunk is refused as too large', () => {
    expect(MAX_DIRECTORY_BATCH).toBe(MAX_INGEST_ENTRIES);
  });
});
