/** The trigger benchmark's function: answers every event unchanged. */
export const handler = async (event: object): Promise<object> => event;
