/** The MappingStore contract (DESIGN §4 state rules) on the in-memory store. */
import { MemoryMappingStore } from '../src/index.js';
import { mappingStoreContract } from './mapping-store.contract.js';

mappingStoreContract('memory store', () => new MemoryMappingStore());
