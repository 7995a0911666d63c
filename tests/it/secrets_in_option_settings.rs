//! Environments and secrets in the other shapes services record them: an Elastic Beanstalk
//! option setting naming a secret in any namespace (`aws:rds:dbinstance` `DBPassword`, in a
//! `CreateEnvironment` request or a template's `OptionSettings`), Docker's `NAME=value` list
//! (`Env`), an EMR configuration of classification `export` (the cluster's environment), a
//! Spark setting of an environment variable (`--conf spark.executorEnv.…` in a Glue job's
//! arguments) and Glue's `DefaultArguments` `--db_password`. Every such value is redacted in
//! every output, the names kept; the settings beside them are kept.

use crate::support;

use serde_json::json;
use support::honeytoken_calls::request_written;

#[test]
fn beanstalk_option_settings_naming_a_secret_are_redacted_in_any_namespace() {
    // As CloudTrail writes CreateEnvironment's request (camelCase), the settings as AWS's
    // documentation and public .ebextensions give them.
    let request = request_written(
        "elasticbeanstalk.amazonaws.com",
        "CreateEnvironment",
        json!({"applicationName": "web", "environmentName": "web-prod",
               "solutionStackName": "64bit Amazon Linux 2023 v6.1.0 running Node.js 20",
               "optionSettings": [
                   {"namespace": "aws:rds:dbinstance", "optionName": "DBUser", "value": "root"},
                   {"namespace": "aws:rds:dbinstance", "optionName": "DBPassword",
                    "value": "PLANTED-1"},
                   {"namespace": "aws:elasticbeanstalk:application:environment",
                    "optionName": "DATABASE_URL", "value": "PLANTED-2"},
                   {"namespace": "aws:autoscaling:asg", "optionName": "MinSize", "value": "1"}]}),
    );
    assert_eq!(
        request["optionSettings"],
        json!([{"namespace": "aws:rds:dbinstance", "optionName": "DBUser", "value": "root"},
               {"namespace": "aws:rds:dbinstance", "optionName": "DBPassword",
                "value": "[REDACTED]"},
               {"namespace": "aws:elasticbeanstalk:application:environment",
                "optionName": "DATABASE_URL", "value": "[REDACTED]"},
               {"namespace": "aws:autoscaling:asg", "optionName": "MinSize", "value": "1"}])
    );
    let template = "Resources:\n  Env:\n    Type: AWS::ElasticBeanstalk::Environment\n    \
                    Properties:\n      ApplicationName: web\n      OptionSettings:\n        \
                    - Namespace: aws:rds:dbinstance\n          OptionName: DBPassword\n          \
                    Value: PLANTED-3\n        \
                    - Namespace: aws:elasticbeanstalk:application:environment\n          \
                    OptionName: DB_CONN\n          Value: \"PLANTED-4\"\n        \
                    - Namespace: aws:autoscaling:asg\n          OptionName: MinSize\n          \
                    Value: '1'\n";
    let request = request_written(
        "cloudformation.amazonaws.com",
        "CreateStack",
        json!({"stackName": "web", "templateBody": template}),
    );
    assert_eq!(
        request["templateBody"],
        template
            .replace("PLANTED-3", "[REDACTED]")
            .replace("PLANTED-4", "[REDACTED]")
    );
}

#[test]
fn docker_emr_spark_and_glue_environments_are_redacted_names_kept() {
    // A Docker container's configuration (`Env`, as the Engine API and `docker inspect` give
    // it) in a Step Functions input.
    let input = json!({"Image": "app:1", "Env": ["DB_CONN=PLANTED-1", "PATH=/usr/bin", "EMPTY="]});
    let request = request_written(
        "states.amazonaws.com",
        "StartExecution",
        json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:run",
               "input": input.to_string()}),
    );
    let written: serde_json::Value =
        serde_json::from_str(request["input"].as_str().unwrap()).unwrap();
    assert_eq!(
        written["Env"],
        json!(["DB_CONN=[REDACTED]", "PATH=[REDACTED]", "EMPTY="])
    );
    assert_eq!(written["Image"], "app:1");

    let request = request_written(
        "elasticmapreduce.amazonaws.com",
        "RunJobFlow",
        json!({"name": "etl", "releaseLabel": "emr-7.1.0",
               "configurations": [{"classification": "spark-env", "configurations": [
                   {"classification": "export",
                    "properties": {"DB_CONN": "PLANTED-2", "PYSPARK_PYTHON": "/usr/bin/python3"}}]},
                   {"classification": "spark-defaults",
                    "properties": {"spark.executor.memory": "4g"}}]}),
    );
    assert_eq!(
        request["configurations"],
        json!([{"classification": "spark-env", "configurations": [
                   {"classification": "export",
                    "properties": {"DB_CONN": "[REDACTED]", "PYSPARK_PYTHON": "[REDACTED]"}}]},
               {"classification": "spark-defaults",
                "properties": {"spark.executor.memory": "4g"}}])
    );

    let request = request_written(
        "glue.amazonaws.com",
        "CreateJob",
        json!({"name": "etl", "role": "arn:aws:iam::123456789012:role/glue",
               "command": {"name": "glueetl", "scriptLocation": "s3://scripts/etl.py"},
               "defaultArguments": {
                   "--job-language": "python",
                   "--db_password": "PLANTED-3",
                   "--conf": "spark.executorEnv.DB_CONN=PLANTED-4 --conf spark.executor.cores=4"}}),
    );
    assert_eq!(
        request["defaultArguments"],
        json!({"--job-language": "python", "--db_password": "[REDACTED]",
               "--conf": "spark.executorEnv.DB_CONN=[REDACTED] --conf spark.executor.cores=4"})
    );
}
