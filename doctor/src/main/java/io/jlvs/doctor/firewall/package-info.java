/**
 * Firewall rules, read from {@code nft list ruleset} ({@link io.jlvs.doctor.firewall.NftRuleset}) and
 * {@code iptables-save} ({@link io.jlvs.doctor.firewall.IptablesSave}) into one small model
 * ({@link io.jlvs.doctor.firewall.FirewallRule}): the hook a rule runs at, its source and destination address
 * matches, its interfaces and its verdict. That is enough to answer the doctor's questions ("does a rule drop packets
 * from the VIP?", "does one rewrite them?", "does one take the VIP's packets away from jlvs?"); it is not a
 * firewall evaluator, and rules in chains that no hook reaches directly are left out.
 */
package io.jlvs.doctor.firewall;
