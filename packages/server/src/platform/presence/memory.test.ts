import { presenceStoreConformance } from './conformance.js';
import { memoryPresenceStore } from './memory.js';

presenceStoreConformance('memory', async () => memoryPresenceStore());
