/** The checks after the option table: each option's own check, then the checks across options. */
import { hashingParams, invalidParams } from "../crypto/password-hash.ts";
import { OPTION_LIST, optionValue } from "./options.ts";
import { type Config, ConfigError } from "./types.ts";

export function validate(config: Config): void {
  const invalid = invalidParams(hashingParams(config.passwordHashing.profile, config.passwordHashing));
  if (invalid) throw new ConfigError(invalid);
  for (const [key, option] of OPTION_LIST) {
    if (!option.check) continue;
    const message = option.check(optionValue(config, key));
    if (message) throw new ConfigError(message);
  }
  if (
    !Number.isInteger(config.headersTimeoutMs) ||
    config.headersTimeoutMs < 100 ||
    config.headersTimeoutMs > config.requestTimeoutMs
  )
    throw new ConfigError("headersTimeoutMs must be an integer from 100 to requestTimeoutMs (milliseconds)");
  if (config.delivery === "smtp" && !config.smtp.host)
    throw new ConfigError(
      "the smtp delivery needs an SMTP host: set LANYARD_SMTP_HOST (or smtp.host in the config file)",
    );
  if (
    config.logDelivery === "file" &&
    !config.logDeliveryDir &&
    (config.memory || config.storage !== "sqlite")
  )
    throw new ConfigError(
      "the file log delivery needs a directory without a data directory (--memory, PostgreSQL): set LANYARD_LOG_DELIVERY_DIR (or logDeliveryDir)",
    );
  checkStorage(config);
}

function checkStorage(config: Config): void {
  if (config.storage === "sqlite") return;
  if (!/^postgres(ql)?:\/\/./i.test(config.storage))
    throw new ConfigError('storage must be "sqlite" or a postgres:// URL');
  if (config.memory)
    throw new ConfigError(
      "--memory keeps the embedded SQLite database in memory; it cannot be combined with a PostgreSQL storage",
    );
}
