/**
 * A command as the deciders take it (emmett's shape): `type` discriminates, `data` is its payload. Commands
 * carry the time (`now`, ISO 8601) so that deciding stays a pure function of command and state.
 */
export type Command<Type extends string, Data extends object> = Readonly<{ type: Type; data: Readonly<Data> }>;
