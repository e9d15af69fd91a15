/**
 * The Provider column of a sheet where two providers can meet: shown only when the rows name
 * more than one provider, so a one-provider month keeps the layout it always had.
 */
import { providerName } from '../../providers.js';
import type { Column } from '../table.js';

export const PROVIDER_HEADER = 'Provider';

/** `columns`, with the Provider column first when `show`. */
export function withProviderColumn<T extends { provider: string }>(columns: Column<T>[], show: boolean): Column<T>[] {
  return show ? [{ header: PROVIDER_HEADER, type: 'text', value: (r) => providerName(r.provider) }, ...columns] : columns;
}
