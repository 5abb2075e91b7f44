"""moto's server (python3 -m moto.server) with one correction, for the deploy tests.

moto 5.2.1 never resolves a stack's Outputs after ExecuteChangeSet (DescribeStacks answers none; the same
template through CreateStack has them), where CloudFormation resolves them when the execution completes.
The deployer only ever deploys through change sets, so without this its outputs could not be read back.
Everything else is moto as installed.
"""
import sys

from moto import server
from moto.cloudformation import models

_execute_change_set = models.CloudFormationBackend.execute_change_set


def execute_change_set(self, change_set_name, stack_name=None):
    _execute_change_set(self, change_set_name, stack_name)
    # looked up as moto does: by ARN, else by name
    change_set = self.change_sets.get(change_set_name) or next(
        cs for cs in self.change_sets.values() if cs.change_set_name == change_set_name)
    stack = self.stacks[change_set.stack_id]
    stack._parse_template()
    stack.output_map = stack._create_output_map()


models.CloudFormationBackend.execute_change_set = execute_change_set

if __name__ == "__main__":
    server.main(sys.argv[1:])
