//! Environment variables under innocuous names: a plaintext value of a CodeBuild
//! `environmentVariablesOverride` (StartBuild), an Amplify or App Runner variable map, a
//! Kubernetes `env` list (JSON, or a manifest in a command), a buildspec's `env: variables:`,
//! an Elastic Beanstalk environment property, a SageMaker `Environment` map with lower-case
//! names. `DB_CONN` or `TOKEN_2` can hold a credential as well as `DB_PASSWORD` can: every such
//! value is redacted, in every output (the timeline's JSON, `--all` JSONL and CSV, the report's
//! PDF and its timeline JSON); the names are kept, and so is the value of a CodeBuild variable
//! of type `PARAMETER_STORE` or `SECRETS_MANAGER`, which names the parameter or the secret read.
//! A map of lower-case words under `environment` in a request for nothing that runs (a
//! deployment environment's tier and region) is not a process's environment and is kept.

use crate::support;

use serde_json::json;
use support::honeytoken_calls::request_written;

#[test]
fn codebuild_plaintext_variables_are_redacted_references_kept() {
    let secret_ref = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ci/db";
    let request = request_written(
        "codebuild.amazonaws.com",
        "StartBuild",
        json!({"projectName": "build",
               "environmentVariablesOverride": [
                   {"name": "DB_CONN", "value": "postgres-PLANTED-1", "type": "PLAINTEXT"},
                   {"name": "TOKEN_2", "value": "PLANTED-2"},
                   {"name": "NPM", "value": "/ci/npm", "type": "PARAMETER_STORE"},
                   {"name": "DB", "value": secret_ref, "type": "SECRETS_MANAGER"}]}),
    );
    assert_eq!(
        request["environmentVariablesOverride"],
        json!([{"name": "DB_CONN", "value": "[REDACTED]", "type": "PLAINTEXT"},
               {"name": "TOKEN_2", "value": "[REDACTED]"},
               {"name": "NPM", "value": "/ci/npm", "type": "PARAMETER_STORE"},
               {"name": "DB", "value": secret_ref, "type": "SECRETS_MANAGER"}])
    );
    // A project's inline buildspec, and its variables written as a JSON string.
    let buildspec = "version: 0.2\nenv:\n  variables:\n    DB_CONN: PLANTED-3\n  \
                     parameter-store:\n    NPM: /ci/npm\nphases:\n  build:\n    commands:\n      - make\n";
    let request = request_written(
        "codebuild.amazonaws.com",
        "CreateProject",
        json!({"name": "build",
               "source": {"type": "NO_SOURCE", "buildspec": buildspec},
               "environment": {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0",
                               "environmentVariables": "[{\"name\":\"X\",\"value\":\"PLANTED-4\"}]"}}),
    );
    assert_eq!(
        request["source"]["buildspec"],
        buildspec.replace("PLANTED-3", "[REDACTED]")
    );
    assert_eq!(
        request["environment"]["image"],
        "aws/codebuild/standard:7.0"
    );
}

#[test]
fn variable_maps_and_kubernetes_env_lists_are_redacted_names_kept() {
    let request = request_written(
        "amplify.amazonaws.com",
        "CreateApp",
        json!({"name": "web",
               "environmentVariables": {"db_conn": "PLANTED-1", "Api": "PLANTED-2"},
               "runtimeEnvironmentVariables": {"conn": "PLANTED-3"},
               "primaryContainer": {"environment": {"db_conn": "PLANTED-4"}},
               "env": [{"name": "DB_CONN", "value": "PLANTED-5"}],
               "optionSettings": [
                   {"namespace": "aws:elasticbeanstalk:application:environment",
                    "optionName": "DB_CONN", "value": "PLANTED-6"},
                   {"namespace": "aws:autoscaling:asg", "optionName": "MinSize", "value": "1"}]}),
    );
    assert_eq!(
        request,
        json!({"name": "web",
               "environmentVariables": {"db_conn": "[REDACTED]", "Api": "[REDACTED]"},
               "runtimeEnvironmentVariables": {"conn": "[REDACTED]"},
               "primaryContainer": {"environment": {"db_conn": "[REDACTED]"}},
               "env": [{"name": "DB_CONN", "value": "[REDACTED]"}],
               "optionSettings": [
                   {"namespace": "aws:elasticbeanstalk:application:environment",
                    "optionName": "DB_CONN", "value": "[REDACTED]"},
                   {"namespace": "aws:autoscaling:asg", "optionName": "MinSize", "value": "1"}]})
    );
    // A manifest in a command: its `env` list at the key's own column, as kubectl writes it.
    let command = "cat <<E | kubectl apply -f -\nspec:\n  containers:\n  - name: app\n    \
                   image: app:1\n    env:\n    - name: DB_CONN\n      value: PLANTED-7\n    \
                   - name: TOKEN_2\n      value: \"PLANTED-8\"\n    ports:\n    - containerPort: 80\nE";
    let request = request_written(
        "ssm.amazonaws.com",
        "SendCommand",
        json!({"documentName": "AWS-RunShellScript", "parameters": {"commands": [command]}}),
    );
    assert_eq!(
        request["parameters"]["commands"][0],
        command
            .replace("PLANTED-7", "[REDACTED]")
            .replace("PLANTED-8", "[REDACTED]")
    );
}

#[test]
fn an_environment_of_something_running_is_redacted_a_described_one_kept() {
    // A SageMaker model's container and training job: their environment maps are the
    // processes' variables, whatever the names' case.
    let request = request_written(
        "sagemaker.amazonaws.com",
        "CreateModel",
        json!({"modelName": "churn",
               "primaryContainer": {"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1",
                                    "environment": {"db_conn": "PLANTED-1", "stage": "PLANTED-2"}},
               "tags": [{"key": "Environment", "value": "production"}]}),
    );
    assert_eq!(
        request["primaryContainer"]["environment"],
        json!({"db_conn": "[REDACTED]", "stage": "[REDACTED]"})
    );
    assert_eq!(
        request["tags"],
        json!([{"key": "Environment", "value": "production"}])
    );
    let request = request_written(
        "sagemaker.amazonaws.com",
        "CreateTrainingJob",
        json!({"trainingJobName": "churn",
               "algorithmSpecification": {"trainingImage": "m:1", "trainingInputMode": "File"},
               "environment": {"db_conn": "PLANTED-3"}}),
    );
    assert_eq!(request["environment"], json!({"db_conn": "[REDACTED]"}));

    // A map of lower-case words under `environment` in what does not run describes a
    // deployment environment: kept, as are tags and a name called environment.
    let described = json!({"name": "web",
        "environment": {"tier": "production", "region": "us-east-1", "owner": "team-a"},
        "tags": {"Environment": "production", "env": "prod"},
        "environmentName": "web-prod"});
    let request = request_written("proton.amazonaws.com", "CreateService", described.clone());
    assert_eq!(request, described);
}
