// The AWS Lambda custom runtime executable: provided.al2023 starts /var/task/bootstrap.
#include <string>
#include <vector>

#include "lambda_command.h"

int main(int argc, char** argv) {
  return o2p::cli::RunLambda(std::vector<std::string>(argv + 1, argv + argc));
}
