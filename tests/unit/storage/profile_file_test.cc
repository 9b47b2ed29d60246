#include "o2p/storage/aws/profile_file.h"

#include <filesystem>
#include <fstream>
#include <map>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "support/matchers.h"

namespace o2p::storage::aws {
namespace {

using ::o2p::testing::IsErrorWith;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(ParseIniTest, SectionsKeysCommentsAndNestedValues) {
  const IniSections sections = ParseIni(
      "# comment\r\n"
      "[default]\r\n"
      "AWS_Access_Key_Id = AKID   \r\n"
      "aws_secret_access_key=se=cret#not-a-comment\n"
      "; another comment\n"
      "[profile  dev ]\n"
      "region: eu-west-1\n"
      "s3 =\n"
      "  region = nested-must-not-win\n"
      "\tmax_concurrent_requests = 4\n"
      "output = json\n"
      "not a key value line\n");
  EXPECT_THAT(
      sections,
      UnorderedElementsAre(
          Pair("default",
               UnorderedElementsAre(Pair("aws_access_key_id", "AKID"),
                                    Pair("aws_secret_access_key", "se=cret#not-a-comment"))),
          Pair("profile  dev", UnorderedElementsAre(Pair("region", "eu-west-1"), Pair("s3", ""),
                                                    Pair("output", "json")))));
}

TEST(ParseIniTest, ConfigProfilesNeedThePrefixExceptDefault) {
  const IniSections config = ParseIni("[default]\na=1\n[dev]\nb=2\n[profile prod]\nc=3\n");
  ASSERT_NE(FindConfigFileProfile(config, "default"), nullptr);
  EXPECT_EQ(FindConfigFileProfile(config, "dev"), nullptr);
  ASSERT_NE(FindConfigFileProfile(config, "prod"), nullptr);
  EXPECT_EQ(FindConfigFileProfile(config, "prod")->at("c"), "3");
  EXPECT_EQ(FindCredentialsFileProfile(config, "dev")->at("b"), "2");
}

class SharedFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    home_ = std::filesystem::temp_directory_path() /
            ("o2p-aws-profile-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(home_);
    std::filesystem::create_directories(home_ / ".aws");
    env_["HOME"] = home_.string();
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  void Write(const std::string& relative_path, const std::string& text) {
    std::ofstream(home_ / relative_path) << text;
  }
  EnvLookup Env() {
    return [this](std::string_view name) -> std::optional<std::string> {
      const auto it = env_.find(std::string(name));
      if (it == env_.end()) return std::nullopt;
      return it->second;
    };
  }

  std::filesystem::path home_;
  std::map<std::string, std::string> env_;
};

TEST_F(SharedFilesTest, DefaultProfileFromHomeCredentialsFile) {
  Write(".aws/credentials",
        "[other]\naws_access_key_id = OTHER\naws_secret_access_key = other-secret\n"
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = secret\n"
        "aws_session_token = token\n");
  const Result<Credentials> credentials = CredentialsFromSharedFiles(Env());
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "AKID");
  EXPECT_EQ(credentials->secret_access_key, "secret");
  EXPECT_EQ(credentials->session_token, "token");
  EXPECT_FALSE(credentials->expiration.has_value());
}

TEST_F(SharedFilesTest, AwsProfileSelectsTheProfileAndFilesCanBeMoved) {
  Write("creds",
        "[default]\naws_access_key_id = D\naws_secret_access_key = d\n"
        "[other]\naws_access_key_id = OTHER\naws_secret_access_key = o\n");
  env_["AWS_SHARED_CREDENTIALS_FILE"] = (home_ / "creds").string();
  env_["AWS_PROFILE"] = "other";
  const Result<Credentials> credentials = CredentialsFromSharedFiles(Env());
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "OTHER");
}

TEST_F(SharedFilesTest, KeysInAConfigFileProfileSection) {
  Write(".aws/credentials", "[default]\naws_access_key_id = D\naws_secret_access_key = d\n");
  Write("config",
        "[dev]\naws_access_key_id = WRONG\naws_secret_access_key = wrong\n"
        "[profile dev]\nregion = eu-west-1\naws_access_key_id = DEV\n"
        "aws_secret_access_key = dev-secret\n");
  env_["AWS_CONFIG_FILE"] = (home_ / "config").string();
  env_["AWS_PROFILE"] = "dev";
  const Result<Credentials> credentials = CredentialsFromSharedFiles(Env());
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "DEV");
  EXPECT_EQ(RegionFromSharedConfig(Env()), "eu-west-1");
}

TEST_F(SharedFilesTest, CredentialsFileWinsOverConfigFile) {
  Write(".aws/credentials",
        "[default]\naws_access_key_id = FROM_CREDENTIALS\n"
        "aws_secret_access_key = c\n");
  Write(".aws/config", "[default]\naws_access_key_id = FROM_CONFIG\naws_secret_access_key = c\n");
  const Result<Credentials> credentials = CredentialsFromSharedFiles(Env());
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "FROM_CREDENTIALS");
}

TEST_F(SharedFilesTest, MissingNamedProfileStopsTheChain) {
  Write(".aws/credentials", "[default]\naws_access_key_id = D\naws_secret_access_key = d\n");
  env_["AWS_PROFILE"] = "nope";
  EXPECT_THAT(CredentialsFromSharedFiles(Env()),
              IsErrorWith(StatusCode::kFailedPrecondition, "profile 'nope'"));
}

TEST_F(SharedFilesTest, NoFilesMeansNotConfigured) {
  const Result<Credentials> credentials = CredentialsFromSharedFiles(Env());
  EXPECT_THAT(credentials, IsErrorWith(StatusCode::kNotFound, "profile 'default'"));
}

TEST_F(SharedFilesTest, ProfileWithoutKeysIsNotConfiguredButHalfAKeyPairIsAnError) {
  Write(".aws/config", "[default]\nrole_arn = arn:aws:iam::1:role/r\n");
  EXPECT_THAT(CredentialsFromSharedFiles(Env()),
              IsErrorWith(StatusCode::kNotFound, "not supported"));
  Write(".aws/credentials", "[default]\naws_access_key_id = AKID\n");
  const Result<Credentials> half = CredentialsFromSharedFiles(Env());
  EXPECT_THAT(half, IsErrorWith(StatusCode::kFailedPrecondition, "no aws_secret_access_key"));
  EXPECT_THAT(half.error().message(), ::testing::Not(HasSubstr("AKID")));
}

TEST_F(SharedFilesTest, NoHomeAndNoVariablesMeansNoFiles) {
  env_.clear();
  const SharedFilePaths paths = SharedFilePathsFrom(Env());
  EXPECT_EQ(paths.credentials, "");
  EXPECT_EQ(paths.config, "");
  EXPECT_THAT(CredentialsFromSharedFiles(Env()), IsErrorWith(StatusCode::kNotFound, "neither"));
  EXPECT_EQ(RegionFromSharedConfig(Env()), std::nullopt);
}

}  // namespace
}  // namespace o2p::storage::aws
