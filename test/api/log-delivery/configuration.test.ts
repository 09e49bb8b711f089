/** GetLogDeliveryConfiguration and SetLogDeliveryConfiguration through the AWS SDK. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type CognitoIdentityProviderClient,
  GetLogDeliveryConfigurationCommand,
  type LogConfigurationType,
  SetLogDeliveryConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { rejectsWith } from "../../support/assert.ts";
import { poolWithClient } from "../../support/pools.ts";
import { startServer, type TestServer } from "../../support/server.ts";

const LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:example-user-pool-exported";
const STREAM = "arn:aws:firehose:us-east-1:123456789012:deliverystream/example-user-pool-activity-exported";
const BUCKET = "arn:aws:s3:::amzn-s3-demo-logging-bucket";

const NOTIFICATIONS: LogConfigurationType = {
  EventSource: "userNotification",
  LogLevel: "ERROR",
  CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP },
};

describe("log delivery configuration", () => {
  let server: TestServer;
  let cognito: CognitoIdentityProviderClient;
  before(async () => {
    server = await startServer();
    cognito = server.client();
  });
  after(() => server.stop());

  const set = (UserPoolId: string, LogConfigurations: LogConfigurationType[]) =>
    cognito.send(new SetLogDeliveryConfigurationCommand({ UserPoolId, LogConfigurations }));
  const get = async (UserPoolId: string) =>
    (await cognito.send(new GetLogDeliveryConfigurationCommand({ UserPoolId }))).LogDeliveryConfiguration;

  test("a pool without one answers an empty list", async () => {
    const { poolId } = await poolWithClient(cognito);
    assert.deepEqual(await get(poolId), { UserPoolId: poolId, LogConfigurations: [] });
  });

  test("Set answers and Get returns the configuration exactly as set; an empty list clears it", async () => {
    const { poolId } = await poolWithClient(cognito, { pool: { UserPoolTier: "PLUS" } });
    const both: LogConfigurationType[] = [
      NOTIFICATIONS,
      { EventSource: "userAuthEvents", LogLevel: "INFO", FirehoseConfiguration: { StreamArn: STREAM } },
    ];
    const { LogDeliveryConfiguration } = await set(poolId, both);
    assert.deepEqual(LogDeliveryConfiguration, { UserPoolId: poolId, LogConfigurations: both });
    assert.deepEqual(await get(poolId), { UserPoolId: poolId, LogConfigurations: both });

    // A Set replaces the whole configuration.
    const s3: LogConfigurationType[] = [
      { EventSource: "userAuthEvents", LogLevel: "INFO", S3Configuration: { BucketArn: BUCKET } },
    ];
    await set(poolId, s3);
    assert.deepEqual((await get(poolId))!.LogConfigurations, s3);

    await set(poolId, []);
    assert.deepEqual(await get(poolId), { UserPoolId: poolId, LogConfigurations: [] });
  });

  test("userAuthEvents needs the Plus feature plan: FeatureUnavailableInTierException", async () => {
    for (const tier of ["ESSENTIALS", "LITE"] as const) {
      const { poolId } = await poolWithClient(cognito, { pool: { UserPoolTier: tier } });
      await rejectsWith(
        set(poolId, [
          {
            EventSource: "userAuthEvents",
            LogLevel: "INFO",
            CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP },
          },
        ]),
        "FeatureUnavailableInTierException",
        400,
      );
      // userNotification needs no plan.
      await set(poolId, [NOTIFICATIONS]);
      assert.deepEqual((await get(poolId))!.LogConfigurations, [NOTIFICATIONS]);
    }
  });

  test("each log type at its own level and destinations: InvalidParameterException", async () => {
    const { poolId } = await poolWithClient(cognito, { pool: { UserPoolTier: "PLUS" } });
    const refused: [LogConfigurationType[], RegExp][] = [
      [[{ ...NOTIFICATIONS, LogLevel: "INFO" }], /LogLevel for EventSource userNotification must be ERROR/],
      [
        [{ EventSource: "userAuthEvents", LogLevel: "ERROR", S3Configuration: { BucketArn: BUCKET } }],
        /LogLevel for EventSource userAuthEvents must be INFO/,
      ],
      [
        [{ EventSource: "userNotification", LogLevel: "ERROR", S3Configuration: { BucketArn: BUCKET } }],
        /only be delivered to CloudWatchLogsConfiguration/,
      ],
      [
        [
          {
            EventSource: "userNotification",
            LogLevel: "ERROR",
            FirehoseConfiguration: { StreamArn: STREAM },
          },
        ],
        /only be delivered to CloudWatchLogsConfiguration/,
      ],
      [[{ EventSource: "userNotification", LogLevel: "ERROR" }], /Exactly one of/],
      [
        [
          {
            EventSource: "userAuthEvents",
            LogLevel: "INFO",
            S3Configuration: { BucketArn: BUCKET },
            FirehoseConfiguration: { StreamArn: STREAM },
          },
        ],
        /Exactly one of/,
      ],
      [
        [NOTIFICATIONS, NOTIFICATIONS],
        /Only one LogConfiguration is allowed for EventSource userNotification/,
      ],
      [
        [{ ...NOTIFICATIONS, CloudWatchLogsConfiguration: {} }],
        /CloudWatchLogsConfiguration.LogGroupArn is required/,
      ],
      [[{ ...NOTIFICATIONS, CloudWatchLogsConfiguration: { LogGroupArn: STREAM } }], /not a valid ARN/],
    ];
    for (const [configurations, message] of refused)
      await rejectsWith(set(poolId, configurations), "InvalidParameterException", 400, message);
    // Nothing was stored by the refused requests.
    assert.deepEqual((await get(poolId))!.LogConfigurations, []);
  });

  test("the model's constraints and an unknown pool", async () => {
    const { poolId } = await poolWithClient(cognito, { pool: { UserPoolTier: "PLUS" } });
    await rejectsWith(
      set(poolId, [NOTIFICATIONS, NOTIFICATIONS, NOTIFICATIONS]),
      "InvalidParameterException",
      400,
      /logConfigurations/,
    );
    await rejectsWith(
      set(poolId, [{ ...NOTIFICATIONS, EventSource: "userSignIns" as "userNotification" }]),
      "InvalidParameterException",
      400,
      /eventSource/,
    );
    await rejectsWith(
      set(poolId, [{ ...NOTIFICATIONS, CloudWatchLogsConfiguration: { LogGroupArn: "log-group" } }]),
      "InvalidParameterException",
      400,
      /logGroupArn/,
    );
    await rejectsWith(set("us-east-1_Nowhere00", [NOTIFICATIONS]), "ResourceNotFoundException", 400);
    await rejectsWith(
      cognito.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: "us-east-1_Nowhere00" })),
      "ResourceNotFoundException",
      400,
    );
  });
});
