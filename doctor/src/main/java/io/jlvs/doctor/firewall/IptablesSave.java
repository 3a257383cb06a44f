package io.jlvs.doctor.firewall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code iptables-save} output:
 * <pre>
 * *nat
 * :POSTROUTING ACCEPT [0:0]
 * -A POSTROUTING -o eth0 -j MASQUERADE
 * COMMIT
 * *filter
 * :OUTPUT DROP [0:0]
 * -A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
 * -A OUTPUT -s 198.18.0.100/32 -p tcp -m tcp --sport 80 -j DROP
 * COMMIT
 * </pre>
 * Built-in chains map to their hooks; user chains get {@link Hook#NONE}.
 */
public final class IptablesSave
{
    /** What {@code iptables} is called in rule descriptions. */
    public static final String ORIGIN = "iptables";

    private IptablesSave()
    {
    }

    /** Parses the whole output; a line it cannot read is skipped. */
    public static Firewall parse(final String text)
    {
        final Map<String, FirewallChain> chains = new HashMap<>();
        final List<FirewallChain> chainOrder = new ArrayList<>();
        final List<FirewallRule> rules = new ArrayList<>();
        String table = "";
        for (final String raw : text.split("\n"))
        {
            final String line = raw.trim();
            if (line.startsWith("*"))
            {
                table = line.substring(1);
            }
            else if (line.startsWith(":"))
            {
                final String[] words = line.substring(1).split("\\s+");
                final FirewallChain chain = new FirewallChain(ORIGIN, table, words[0], Hook.of(words[0]), "",
                    words.length > 1 && "DROP".equals(words[1]) ? Verdict.DROP : Verdict.ACCEPT);
                chains.put(table + " " + words[0], chain);
                chainOrder.add(chain);
            }
            else if (line.startsWith("-A "))
            {
                final List<String> words = NftRuleset.tokens(line);
                if (words.size() < 2)
                {
                    continue;
                }
                FirewallChain chain = chains.get(table + " " + words.get(1));
                if (chain == null)
                {
                    chain = new FirewallChain(ORIGIN, table, words.get(1), Hook.of(words.get(1)), "", Verdict.ACCEPT);
                    chains.put(table + " " + words.get(1), chain);
                    chainOrder.add(chain);
                }
                rules.add(rule(chain, words, line));
            }
        }
        return new Firewall(chainOrder, rules);
    }

    private static FirewallRule rule(final FirewallChain chain, final List<String> words, final String line)
    {
        AddressMatch source = null;
        AddressMatch destination = null;
        InterfaceMatch input = null;
        InterfaceMatch output = null;
        boolean established = false;
        Verdict verdict = Verdict.OTHER;
        boolean negateNext = false;
        for (int i = 2; i < words.size(); i++)
        {
            final String word = words.get(i);
            if ("!".equals(word))
            {
                negateNext = true;
                continue;
            }
            final boolean negated = negateNext;
            negateNext = false;
            if (i + 1 >= words.size())
            {
                break;
            }
            final String value = words.get(i + 1);
            switch (word)
            {
                case "-s":
                case "--source":
                    source = AddressMatch.of(List.of(value.split(",")), negated, (negated ? "! " : "") + value);
                    i++;
                    break;
                case "-d":
                case "--destination":
                    destination = AddressMatch.of(List.of(value.split(",")), negated, (negated ? "! " : "") + value);
                    i++;
                    break;
                case "-i":
                case "--in-interface":
                    input = new InterfaceMatch(value, negated);
                    i++;
                    break;
                case "-o":
                case "--out-interface":
                    output = new InterfaceMatch(value, negated);
                    i++;
                    break;
                case "--state":
                case "--ctstate":
                    established = !negated && value.contains("ESTABLISHED") && !value.contains("NEW");
                    i++;
                    break;
                case "-j":
                case "--jump":
                case "-g":
                case "--goto":
                    verdict = verdict(value);
                    i++;
                    break;
                default:
                    break;
            }
        }
        // iptables deletes a rule given the same specification it was appended with
        final String delete = "iptables -t " + chain.table() + " -D " + line.substring("-A ".length());
        return new FirewallRule(chain, source, destination, input, output, established, verdict, line, delete);
    }

    private static Verdict verdict(final String target)
    {
        switch (target.toUpperCase(Locale.ROOT))
        {
            case "ACCEPT":
                return Verdict.ACCEPT;
            case "DROP":
                return Verdict.DROP;
            case "REJECT":
                return Verdict.REJECT;
            case "MASQUERADE":
                return Verdict.MASQUERADE;
            case "SNAT":
                return Verdict.SNAT;
            case "DNAT":
                return Verdict.DNAT;
            case "REDIRECT":
                return Verdict.REDIRECT;
            case "TPROXY":
                return Verdict.TPROXY;
            default:
                return Verdict.OTHER;
        }
    }
}
