/** The exported log records' shapes (Cognito's "Exporting logs from Amazon Cognito user pools"). */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  atLevel,
  recordDate,
  userAuthEventRecord,
  userNotificationRecord,
} from "../../src/domain/logging/records.ts";
import { termsLanguageOf } from "../../src/domain/terms/terms.ts";

const POOL = "us-west-2_EXAMPLE";

test("a userNotification record", () => {
  assert.deepEqual(
    userNotificationRecord(POOL, 1687297330677, "EMAIL message delivery failed (signup): EENVELOPE"),
    {
      eventTimestamp: "1687297330677",
      eventSource: "USER_NOTIFICATION",
      logLevel: "ERROR",
      message: { details: "EMAIL message delivery failed (signup): EENVELOPE" },
      logSourceId: { userPoolId: POOL },
    },
  );
});

test("a userAuthEvents record carries every field of Cognito's example, as strings", () => {
  const record = userAuthEventRecord(POOL, 1721237155000, {
    event: {
      EventId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
      EventType: "SignIn",
      CreationDate: 1721237155,
      EventResponse: "Pass",
      EventRisk: { RiskDecision: "NoRisk", RiskLevel: "Low", CompromisedCredentialsDetected: false },
      ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
      EventContextData: {
        IpAddress: "192.0.2.1",
        DeviceName: "Chrome 126, Windows 10",
        City: "Seattle",
        Country: "United States",
      },
      EventFeedback: { FeedbackValue: "Valid", Provider: "Admin", FeedbackDate: 1721240755 },
    },
    userSub: "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
    userName: "test-user",
    clientId: "1example23456789",
    requestId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333",
    hasContextData: true,
  });
  assert.deepEqual(record, {
    eventTimestamp: "1721237155000",
    eventSource: "USER_ACTIVITY",
    logLevel: "INFO",
    message: {
      version: "1",
      eventId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
      eventType: "SignIn",
      userSub: "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
      userName: "test-user",
      userPoolId: POOL,
      clientId: "1example23456789",
      creationDate: "Wed Jul 17 17:25:55 UTC 2024",
      eventResponse: "Pass",
      riskLevel: "Low",
      riskDecision: "PASS",
      challenges: [{ challengeName: "Password", challengeResponse: "Success" }],
      deviceName: "Chrome 126, Windows 10",
      ipAddress: "192.0.2.1",
      requestId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333",
      idpName: "",
      compromisedCredentialDetected: "false",
      city: "Seattle",
      country: "United States",
      eventFeedbackValue: "Valid",
      eventFeedbackDate: "Wed Jul 17 18:25:55 UTC 2024",
      eventFeedbackProvider: "Admin",
      hasContextData: "true",
    },
    logSourceId: { userPoolId: POOL },
  });
});

test("absent values are empty strings", () => {
  const { message } = userAuthEventRecord(POOL, 0, {
    event: { EventType: "SignUp", EventResponse: "InProgress" },
    userSub: "s",
    userName: "u",
    hasContextData: false,
  });
  assert.equal(message.riskLevel, "");
  assert.equal(message.riskDecision, "");
  assert.deepEqual(message.challenges, []);
  assert.equal(message.hasContextData, "false");
  assert.equal(message.creationDate, "Thu Jan 01 00:00:00 UTC 1970");
});

test("a record is written at or above the configured level", () => {
  assert.equal(atLevel("ERROR", "ERROR"), true);
  assert.equal(atLevel("ERROR", "INFO"), true);
  assert.equal(atLevel("INFO", "INFO"), true);
  assert.equal(atLevel("INFO", "ERROR"), false);
  assert.equal(atLevel("ERROR", "DEBUG"), false);
  assert.equal(recordDate(Date.UTC(2024, 1, 29, 3, 4, 5)), "Thu Feb 29 03:04:05 UTC 2024");
});

test("a page language's terms language, with English by default", () => {
  assert.equal(termsLanguageOf(undefined), "cognito:english");
  assert.equal(termsLanguageOf("es"), "cognito:spanish");
  assert.equal(termsLanguageOf("es-MX"), "cognito:spanish");
  assert.equal(termsLanguageOf("pt-BR"), "cognito:portuguese-brazil");
  assert.equal(termsLanguageOf("zh-TW"), "cognito:chinese-traditional");
  assert.equal(termsLanguageOf("id"), "cognito:bahasa-indonesia");
  assert.equal(termsLanguageOf("xx"), "cognito:english");
});
