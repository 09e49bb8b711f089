"""A boto3 scenario against a running Lanyard: pools, clients, users, groups, tags, sign-in."""
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
c = boto3.client(
    "cognito-idp",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="dummy",
    aws_secret_access_key="dummy",
)

pool = c.create_user_pool(PoolName="boto3-pool", UserPoolTags={"via": "boto3"})["UserPool"]
pool_id = pool["Id"]
assert pool_id.startswith("us-east-1_"), pool_id
assert c.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Name"] == "boto3-pool"

client = c.create_user_pool_client(
    UserPoolId=pool_id,
    ClientName="boto3-app",
    ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
)["UserPoolClient"]
client_id = client["ClientId"]

c.admin_create_user(
    UserPoolId=pool_id,
    Username="py-user",
    UserAttributes=[{"Name": "email", "Value": "py@example.com"}],
    MessageAction="SUPPRESS",
)
c.admin_set_user_password(UserPoolId=pool_id, Username="py-user", Password="Pyth0n-password!", Permanent=True)
user = c.admin_get_user(UserPoolId=pool_id, Username="py-user")
assert user["UserStatus"] == "CONFIRMED", user
assert c.list_users(UserPoolId=pool_id, Filter='email = "py@example.com"')["Users"][0]["Username"] == "py-user"

c.create_group(UserPoolId=pool_id, GroupName="admins", Precedence=1)
c.admin_add_user_to_group(UserPoolId=pool_id, Username="py-user", GroupName="admins")
groups = c.admin_list_groups_for_user(UserPoolId=pool_id, Username="py-user")["Groups"]
assert [g["GroupName"] for g in groups] == ["admins"], groups

arn = pool["Arn"]
c.tag_resource(ResourceArn=arn, Tags={"team": "py"})
assert c.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"via": "boto3", "team": "py"}

auth = c.admin_initiate_auth(
    UserPoolId=pool_id,
    ClientId=client_id,
    AuthFlow="ADMIN_USER_PASSWORD_AUTH",
    AuthParameters={"USERNAME": "py-user", "PASSWORD": "Pyth0n-password!"},
)
assert auth["AuthenticationResult"]["TokenType"] == "Bearer", auth

try:
    c.admin_get_user(UserPoolId=pool_id, Username="nobody")
    raise AssertionError("expected UserNotFoundException")
except ClientError as e:
    assert e.response["Error"]["Code"] == "UserNotFoundException", e.response
    # Cognito sends 400 here, not the 404 of the model's trait.
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400, e.response

c.admin_delete_user(UserPoolId=pool_id, Username="py-user")
c.delete_user_pool(UserPoolId=pool_id)
print("boto3 scenario ok")
