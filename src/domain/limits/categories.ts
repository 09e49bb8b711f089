/**
 * Cognito's request-rate quota categories ("Quotas in Amazon Cognito": the user pools API operation
 * categories and their request rate quotas) and the category of each operation. The categories'
 * default rates and adjustability are the page's; so is the category of every operation the page
 * lists. The operations the API gained after the page's table (sessions, terms, replicas, client
 * secrets, log delivery, managed login branding) are placed by what they do, as
 * docs/compatibility/92-replicas-and-limits.md says.
 */
import type { OperationName } from "../../generated/operations.ts";

export const CATEGORIES = {
  UserAuthentication: { rps: 120, adjustable: true },
  UserCreation: { rps: 50, adjustable: true },
  UserFederation: { rps: 25, adjustable: true },
  UserAccountRecovery: { rps: 30, adjustable: false },
  UserRead: { rps: 120, adjustable: true },
  UserUpdate: { rps: 25, adjustable: false },
  UserToken: { rps: 120, adjustable: true },
  UserResourceRead: { rps: 50, adjustable: true },
  UserResourceUpdate: { rps: 25, adjustable: false },
  UserList: { rps: 30, adjustable: false },
  UserPoolRead: { rps: 15, adjustable: false },
  UserPoolUpdate: { rps: 15, adjustable: false },
  UserPoolResourceRead: { rps: 20, adjustable: false, perPool: true },
  UserPoolResourceUpdate: { rps: 15, adjustable: false, perPool: true },
  UserPoolClientRead: { rps: 15, adjustable: false, perPool: true },
  UserPoolClientUpdate: { rps: 15, adjustable: false, perPool: true },
  ClientAuthentication: { rps: 150, adjustable: false },
} as const satisfies Record<string, { rps: number; adjustable: boolean; perPool?: true }>;

export type Category = keyof typeof CATEGORIES;

export function isCategory(name: string): name is Category {
  return Object.hasOwn(CATEGORIES, name);
}

/**
 * "Any individual operation in this category has a constraint that prevents the operation from
 * being called at a rate higher than 5 RPS for a single user pool."
 */
export const PER_POOL_OPERATION_RPS = 5;

/**
 * RespondToAuthChallenge and AdminRespondToAuthChallenge have a quota of their own, three times the
 * UserAuthentication quota; beyond it, they count against UserAuthentication.
 */
export const CHALLENGE_MULTIPLIER = 3;
export const CHALLENGE_OPERATIONS: ReadonlySet<string> = new Set([
  "RespondToAuthChallenge",
  "AdminRespondToAuthChallenge",
]);

const UA = "UserAuthentication";
const UC = "UserCreation";
const UAR = "UserAccountRecovery";
const UR = "UserRead";
const UU = "UserUpdate";
const UT = "UserToken";
const URR = "UserResourceRead";
const URU = "UserResourceUpdate";
const UL = "UserList";
const PR = "UserPoolRead";
const PU = "UserPoolUpdate";
const PRR = "UserPoolResourceRead";
const PRU = "UserPoolResourceUpdate";
const CR = "UserPoolClientRead";
const CU = "UserPoolClientUpdate";
const CA = "ClientAuthentication";

/**
 * The category each operation counts against; `null`: the operation counts against none
 * (GetProvisionedLimit and UpdateProvisionedLimit, which manage the limits themselves). Every
 * operation is listed: the compiler refuses a table that misses one.
 */
export const OPERATION_CATEGORY: Readonly<Record<OperationName, Category | null>> = {
  // UserAuthentication
  AdminInitiateAuth: UA,
  InitiateAuth: UA,
  AdminRespondToAuthChallenge: UA,
  RespondToAuthChallenge: UA,
  GetTokensFromRefreshToken: UA,
  // UserCreation: "SignUp, ConfirmSignUp, AdminCreateUser, and AdminConfirmSignUp"
  SignUp: UC,
  ConfirmSignUp: UC,
  AdminCreateUser: UC,
  AdminConfirmSignUp: UC,
  // UserAccountRecovery
  ForgotPassword: UAR,
  ConfirmForgotPassword: UAR,
  ChangePassword: UAR,
  AdminResetUserPassword: UAR,
  AdminSetUserPassword: UAR,
  ResendConfirmationCode: UAR,
  // UserRead
  AdminGetUser: UR,
  GetUser: UR,
  AdminGetUserAuthFactors: UR,
  GetUserAuthFactors: UR,
  // UserUpdate
  AdminDeleteUser: UU,
  AdminDeleteUserAttributes: UU,
  AdminDisableProviderForUser: UU,
  AdminDisableUser: UU,
  AdminEnableUser: UU,
  AdminLinkProviderForUser: UU,
  AdminSetUserMFAPreference: UU,
  AdminSetUserSettings: UU,
  AdminUpdateAuthEventFeedback: UU,
  AdminUpdateUserAttributes: UU,
  AdminDeleteSoftwareToken: UU,
  DeleteUser: UU,
  DeleteUserAttributes: UU,
  GetUserAttributeVerificationCode: UU,
  SetUserMFAPreference: UU,
  SetUserSettings: UU,
  UpdateAuthEventFeedback: UU,
  UpdateUserAttributes: UU,
  VerifyUserAttribute: UU,
  AssociateSoftwareToken: UU,
  VerifySoftwareToken: UU,
  // UserToken
  AdminUserGlobalSignOut: UT,
  GlobalSignOut: UT,
  RevokeToken: UT,
  // UserResourceRead: a user's devices, groups, auth events, sessions and passkeys
  AdminGetDevice: URR,
  AdminListDevices: URR,
  AdminListGroupsForUser: URR,
  AdminListUserAuthEvents: URR,
  AdminListUserSessions: URR,
  GetDevice: URR,
  ListDevices: URR,
  ListUserSessions: URR,
  ListWebAuthnCredentials: URR,
  // UserResourceUpdate
  AdminAddUserToGroup: URU,
  AdminRemoveUserFromGroup: URU,
  AdminForgetDevice: URU,
  AdminUpdateDeviceStatus: URU,
  AdminRevokeUserSession: URU,
  ConfirmDevice: URU,
  ForgetDevice: URU,
  UpdateDeviceStatus: URU,
  RevokeUserSession: URU,
  StartWebAuthnRegistration: URU,
  CompleteWebAuthnRegistration: URU,
  DeleteWebAuthnCredential: URU,
  // UserList
  ListUsers: UL,
  ListUsersInGroup: UL,
  // UserPoolRead
  DescribeUserPool: PR,
  ListUserPools: PR,
  GetUserPoolMfaConfig: PR,
  GetUserPoolSessionConfiguration: PR,
  GetLogDeliveryConfiguration: PR,
  ListUserPoolReplicas: PR,
  // UserPoolUpdate
  CreateUserPool: PU,
  UpdateUserPool: PU,
  DeleteUserPool: PU,
  AddCustomAttributes: PU,
  SetUserPoolMfaConfig: PU,
  SetUserPoolSessionConfiguration: PU,
  SetLogDeliveryConfiguration: PU,
  CreateUserPoolReplica: PU,
  UpdateUserPoolReplica: PU,
  DeleteUserPoolReplica: PU,
  // UserPoolResourceRead
  DescribeIdentityProvider: PRR,
  DescribeManagedLoginBranding: PRR,
  DescribeManagedLoginBrandingByClient: PRR,
  DescribeResourceServer: PRR,
  DescribeRiskConfiguration: PRR,
  DescribeTerms: PRR,
  DescribeTermsByClient: PRR,
  DescribeUserImportJob: PRR,
  DescribeUserPoolDomain: PRR,
  GetCSVHeader: PRR,
  GetGroup: PRR,
  GetIdentityProviderByIdentifier: PRR,
  GetSigningCertificate: PRR,
  GetUICustomization: PRR,
  ListGroups: PRR,
  ListIdentityProviders: PRR,
  ListResourceServers: PRR,
  ListTagsForResource: PRR,
  ListTerms: PRR,
  ListUserImportJobs: PRR,
  // UserPoolResourceUpdate
  CreateGroup: PRU,
  UpdateGroup: PRU,
  DeleteGroup: PRU,
  CreateIdentityProvider: PRU,
  UpdateIdentityProvider: PRU,
  DeleteIdentityProvider: PRU,
  CreateManagedLoginBranding: PRU,
  UpdateManagedLoginBranding: PRU,
  DeleteManagedLoginBranding: PRU,
  CreateResourceServer: PRU,
  UpdateResourceServer: PRU,
  DeleteResourceServer: PRU,
  CreateTerms: PRU,
  UpdateTerms: PRU,
  DeleteTerms: PRU,
  CreateUserImportJob: PRU,
  StartUserImportJob: PRU,
  StopUserImportJob: PRU,
  CreateUserPoolDomain: PRU,
  UpdateUserPoolDomain: PRU,
  DeleteUserPoolDomain: PRU,
  SetRiskConfiguration: PRU,
  SetUICustomization: PRU,
  TagResource: PRU,
  UntagResource: PRU,
  // UserPoolClientRead
  DescribeUserPoolClient: CR,
  ListUserPoolClients: CR,
  ListUserPoolClientSecrets: CR,
  GetUserPoolClientSessionConfiguration: CR,
  // UserPoolClientUpdate
  CreateUserPoolClient: CU,
  UpdateUserPoolClient: CU,
  DeleteUserPoolClient: CU,
  AddUserPoolClientSecret: CU,
  DeleteUserPoolClientSecret: CU,
  SetUserPoolClientSessionConfiguration: CU,
  // ClientAuthentication: machine-to-machine credentials (the token endpoint's client_credentials grant)
  GetClientToken: CA,
  // The limits' own management
  GetProvisionedLimit: null,
  UpdateProvisionedLimit: null,
};
