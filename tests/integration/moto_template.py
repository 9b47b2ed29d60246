#!/usr/bin/env python3
"""Rewrites a CloudFormation template into one moto_server's CloudFormation can deploy.

Usage: moto_template.py TEMPLATE [Condition=true|false ...] > OUT.json

moto 5.2.1 cannot deploy deploy/aws-lambda-s3-tables/template.yaml as it is: it has no
CloudFormation support for AWS::S3Tables::*, AWS::Lambda::Url, AWS::Lambda::Alias,
AWS::CloudWatch::Alarm or AWS::S3::BucketPolicy (a change set that references them by Fn::GetAtt
fails with "references undefined resource", and outputs that do so crash with a 500), and its
IAM role model crashes on `Fn::If [..., ..., AWS::NoValue]` entries in `Policies`. The real
template must stay as AWS needs it, so the shell test deploys this rewrite instead:

- resources whose type moto does not know, or whose Condition is given as false, are removed,
  together with DependsOn entries on them; outputs whose Condition is false are removed;
- `Fn::GetAtt TableBucket.TableBucketARN` (also inside Fn::Sub) becomes the ARN AWS would
  return, built from the bucket's name, so the IAM policy keeps its shape;
- any other reference to a removed resource becomes the string "moto-unsupported-<Logical>";
- `Fn::If` on a condition given as Condition=true|false is resolved here, and AWS::NoValue
  entries are dropped (moto evaluates `!Equals [!Ref NumberParameter, "0"]` as false because
  it compares the number 0 with the string "0", and keeps NoValue list items as None).

The output is JSON (a valid CloudFormation template), and the list of removed resources goes
to stderr.
"""
import json
import sys
import warnings

from cfnlint.decode import decode

warnings.simplefilter("ignore")
from moto.cloudformation.parsing import resource_class_from_type  # noqa: E402


NO_VALUE = {"Ref": "AWS::NoValue"}


def drop_no_value(node):
    """Removes AWS::NoValue list items and dict values (moto turns list items into None)."""
    if isinstance(node, list):
        return [drop_no_value(item) for item in node if item != NO_VALUE]
    if isinstance(node, dict):
        return {key: drop_no_value(value) for key, value in node.items() if value != NO_VALUE}
    return node


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    template, problems = decode(sys.argv[1])
    if problems:
        sys.exit(f"moto_template: cannot read {sys.argv[1]}: {problems}")
    given = {}
    for arg in sys.argv[2:]:
        name, _, value = arg.partition("=")
        if value not in ("true", "false"):
            sys.exit(f"moto_template: {arg}: expected Condition=true|false")
        given[name] = value == "true"

    resources = template["Resources"]
    removed = {name for name, body in resources.items()
               if resource_class_from_type(body["Type"]) is None
               or given.get(body.get("Condition")) is False}
    for section in (resources, template.get("Outputs", {})):
        for name, body in list(section.items()):
            if body.get("Condition") in given:
                if given[body["Condition"]]:
                    del body["Condition"]
                elif section is not resources:
                    del section[name]
    table_bucket_arn = None
    if "TableBucket" in removed:
        name = resources["TableBucket"]["Properties"]["TableBucketName"]
        table_bucket_arn = {"Fn::Sub": [
            "arn:${AWS::Partition}:s3tables:${AWS::Region}:${AWS::AccountId}:bucket/${Name}",
            {"Name": name}]}
    for name in removed:
        del resources[name]

    def placeholder(logical, attribute=None):
        if logical == "TableBucket" and attribute in (None, "TableBucketARN"):
            return table_bucket_arn
        return f"moto-unsupported-{logical}"

    def rewrite(node):
        if isinstance(node, list):
            return [rewrite(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "Fn::If" in node and node["Fn::If"][0] in given:
            condition, when_true, when_false = node["Fn::If"]
            return rewrite(when_true if given[condition] else when_false)
        if "Ref" in node and node["Ref"] in removed:
            return placeholder(node["Ref"])
        if "Fn::GetAtt" in node:
            target = node["Fn::GetAtt"]
            logical, attribute = (target.split(".", 1) if isinstance(target, str) else target)
            if logical in removed:
                return placeholder(logical, attribute)
        if "Fn::Sub" in node:
            text, variables = (node["Fn::Sub"] if isinstance(node["Fn::Sub"], list)
                               else (node["Fn::Sub"], {}))
            variables = {key: rewrite(value) for key, value in variables.items()}
            for logical in removed:
                for attribute in ("TableBucketARN", "FunctionUrl", "Arn", None):
                    token = "${" + logical + (("." + attribute) if attribute else "") + "}"
                    if token in text:
                        alias = f"Moto{logical}{attribute or ''}"
                        text = text.replace(token, "${" + alias + "}")
                        variables[alias] = placeholder(logical, attribute)
            return {"Fn::Sub": [text, variables] if variables else text}
        return {key: rewrite(value) for key, value in node.items()}

    template = drop_no_value(rewrite(template))
    resources = template["Resources"]
    for body in resources.values():
        depends = body.get("DependsOn")
        if depends is not None:
            depends = [depends] if isinstance(depends, str) else depends
            depends = [name for name in depends if name not in removed]
            if depends:
                body["DependsOn"] = depends
            else:
                del body["DependsOn"]
    json.dump(template, sys.stdout, indent=1, default=str)
    sys.stdout.write("\n")
    print("moto_template: removed " + (", ".join(sorted(removed)) or "nothing"), file=sys.stderr)


if __name__ == "__main__":
    main()
