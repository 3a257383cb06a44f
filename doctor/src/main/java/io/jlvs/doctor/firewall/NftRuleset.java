package io.jlvs.doctor.firewall;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code nft list ruleset} output:
 * <pre>
 * table inet filter {
 *     set blocked {
 *         type ipv4_addr
 *         elements = { 198.18.0.100, 198.18.1.0/24,
 *                      198.18.2.1-198.18.2.9 }
 *     }
 *     chain output {
 *         type filter hook output priority filter; policy accept;
 *         ip saddr @blocked reject with icmp port-unreachable
 *     }
 * }
 * </pre>
 * Tables of the ip, inet and netdev families are read (ip6, arp and bridge tables never see IPv4 routing); named
 * sets are resolved; tables that iptables-nft manages are skipped because {@code iptables-save} shows the same rules.
 * An anonymous set or set elements printed over several lines are joined first. With {@code nft -a}, each rule ends
 * in {@code # handle N}, which gives the command that deletes it.
 */
public final class NftRuleset
{
    /** What {@code nft} calls itself in rule descriptions. */
    public static final String ORIGIN = "nft";
    private static final Set<String> FAMILIES = Set.of("ip", "inet", "netdev");
    private static final String IPTABLES_NFT_MARK = "managed by iptables-nft";
    private static final String ELEMENTS = "elements";
    private static final String HANDLE_COMMENT = "# handle ";
    private static final int NO_HANDLE = -1;
    private static final Set<String> VERDICT_WORDS =
        Set.of("accept", "drop", "reject", "masquerade", "snat", "dnat", "redirect", "tproxy", "jump", "goto",
            "return", "queue");

    private NftRuleset()
    {
    }

    private enum BlockKind
    {
        TABLE,
        CHAIN,
        SET,
        OTHER
    }

    private record Block(BlockKind kind, String name, String family, boolean skipped)
    {
    }

    /** One logical line of the ruleset, without its {@code # handle N} comment. */
    record Statement(String text, int handle)
    {
    }

    /** Parses the whole ruleset; a line it cannot read is skipped. */
    public static Firewall parse(final String text)
    {
        final List<Statement> statements = statements(text);
        // sets first: a rule may name a set printed after it
        final Map<String, List<String>> sets = new HashMap<>();
        walk(statements, sets, null, null);
        final List<FirewallChain> chains = new ArrayList<>();
        final List<FirewallRule> rules = new ArrayList<>();
        walk(statements, sets, chains, rules);
        return new Firewall(chains, rules);
    }

    /**
     * One pass over the statements. With {@code chains == null} it collects set elements into {@code sets} (keyed
     * {@code family table set}); otherwise it reads chains and rules.
     */
    private static void walk(
        final List<Statement> statements,
        final Map<String, List<String>> sets,
        final List<FirewallChain> chains,
        final List<FirewallRule> rules)
    {
        final Deque<Block> blocks = new ArrayDeque<>();
        boolean nextTableManaged = false;
        String family = "";
        String table = "";
        FirewallChain chain = null;
        for (final Statement line : statements)
        {
            final String statement = line.text();
            if (statement.startsWith("#"))
            {
                nextTableManaged |= statement.contains(IPTABLES_NFT_MARK);
                continue;
            }
            if ("}".equals(statement))
            {
                final Block closed = blocks.poll();
                if (closed != null && closed.kind() == BlockKind.CHAIN)
                {
                    chain = null;
                }
                continue;
            }
            final boolean skipping = !blocks.isEmpty() && blocks.peek().skipped();
            if (statement.endsWith("{") && !statement.contains("="))
            {
                final String[] words = statement.substring(0, statement.length() - 1).trim().split("\\s+");
                final String keyword = words[0];
                if ("table".equals(keyword) && words.length >= 3)
                {
                    family = words[1];
                    table = words[2];
                    blocks.push(new Block(BlockKind.TABLE, table, family,
                        nextTableManaged || !FAMILIES.contains(family)));
                    nextTableManaged = false;
                }
                else if ("chain".equals(keyword) && words.length >= 2)
                {
                    blocks.push(new Block(BlockKind.CHAIN, words[1], family, skipping));
                    if (!skipping && chains != null)
                    {
                        chain = new FirewallChain(ORIGIN, family + " " + table, words[1], Hook.NONE, "",
                            Verdict.ACCEPT);
                    }
                }
                else if ("set".equals(keyword) && words.length >= 2)
                {
                    blocks.push(new Block(BlockKind.SET, words[1], family, skipping));
                }
                else
                {
                    // maps, flowtables, named counters, ct helpers...: nothing an address question needs
                    blocks.push(new Block(BlockKind.OTHER, keyword, family, true));
                }
                continue;
            }
            if (blocks.isEmpty() || skipping)
            {
                continue;
            }
            final Block block = blocks.peek();
            if (block.kind() == BlockKind.SET && chains == null && statement.startsWith(ELEMENTS))
            {
                final int open = statement.indexOf('{');
                final int close = statement.lastIndexOf('}');
                if (open >= 0 && close > open)
                {
                    sets.put(setKey(family, table, block.name()), elements(statement.substring(open + 1, close)));
                }
            }
            else if (block.kind() == BlockKind.CHAIN && chains != null && chain != null)
            {
                if (statement.startsWith("type ") && statement.contains(" hook "))
                {
                    chain = header(chain, statement);
                    chains.add(chain);
                }
                else
                {
                    if (!chains.contains(chain))
                    {
                        chains.add(chain);
                    }
                    final FirewallRule rule = rule(chain, statement, line.handle(), sets, family);
                    if (rule != null)
                    {
                        rules.add(rule);
                    }
                }
            }
        }
    }

    /** {@code type filter hook ingress device "eth0" priority -500; policy drop;}. */
    private static FirewallChain header(final FirewallChain chain, final String statement)
    {
        final List<String> words = tokens(statement.replace(";", " ; "));
        Hook hook = Hook.NONE;
        String device = "";
        Verdict policy = Verdict.ACCEPT;
        for (int i = 0; i + 1 < words.size(); i++)
        {
            final String word = words.get(i);
            final String next = words.get(i + 1);
            if ("hook".equals(word))
            {
                hook = Hook.of(next);
            }
            else if ("device".equals(word))
            {
                device = unquote(next);
            }
            else if ("policy".equals(word))
            {
                policy = "drop".equals(next) ? Verdict.DROP : Verdict.ACCEPT;
            }
        }
        return new FirewallChain(chain.origin(), chain.table(), chain.name(), hook, device, policy);
    }

    private static FirewallRule rule(
        final FirewallChain chain,
        final String statement,
        final int handle,
        final Map<String, List<String>> sets,
        final String family)
    {
        final String table = chain.table().substring(family.length() + 1);
        final List<String> words = tokens(statement);
        AddressMatch source = null;
        AddressMatch destination = null;
        InterfaceMatch input = null;
        InterfaceMatch output = null;
        boolean established = false;
        Verdict verdict = Verdict.OTHER;
        boolean verdictSeen = false;
        for (int i = 0; i < words.size(); i++)
        {
            final String word = words.get(i);
            if ("ip6".equals(word))
            {
                // an IPv6 match: this rule never sees an IPv4 packet
                return null;
            }
            if ("ip".equals(word) && i + 2 < words.size() &&
                ("saddr".equals(words.get(i + 1)) || "daddr".equals(words.get(i + 1))))
            {
                final boolean negated = "!=".equals(words.get(i + 2));
                final int valueAt = negated ? i + 3 : i + 2;
                if (valueAt >= words.size())
                {
                    break;
                }
                final AddressMatch match = address(words.get(valueAt), negated, sets, family, table);
                if ("saddr".equals(words.get(i + 1)))
                {
                    source = match;
                }
                else
                {
                    destination = match;
                }
                i = valueAt;
            }
            else if (("iifname".equals(word) || "iif".equals(word) || "oifname".equals(word) || "oif".equals(word)) &&
                i + 1 < words.size())
            {
                final boolean negated = "!=".equals(words.get(i + 1));
                final int valueAt = negated ? i + 2 : i + 1;
                if (valueAt >= words.size())
                {
                    break;
                }
                final InterfaceMatch match = new InterfaceMatch(unquote(words.get(valueAt)), negated);
                if (word.startsWith("i"))
                {
                    input = match;
                }
                else
                {
                    output = match;
                }
                i = valueAt;
            }
            else if ("state".equals(word) && i > 0 && "ct".equals(words.get(i - 1)) && i + 1 < words.size())
            {
                final String states = words.get(i + 1);
                established = states.contains("established") && !states.contains("new");
            }
            else if (!verdictSeen && VERDICT_WORDS.contains(word))
            {
                verdictSeen = true;
                verdict = verdict(word);
            }
        }
        final String delete = handle == NO_HANDLE ? "" :
            "nft delete rule " + chain.table() + " " + chain.name() + " handle " + handle;
        return new FirewallRule(chain, source, destination, input, output, established, verdict, statement, delete);
    }

    private static Verdict verdict(final String word)
    {
        switch (word)
        {
            case "accept":
                return Verdict.ACCEPT;
            case "drop":
                return Verdict.DROP;
            case "reject":
                return Verdict.REJECT;
            case "masquerade":
                return Verdict.MASQUERADE;
            case "snat":
                return Verdict.SNAT;
            case "dnat":
                return Verdict.DNAT;
            case "redirect":
                return Verdict.REDIRECT;
            case "tproxy":
                return Verdict.TPROXY;
            default:
                return Verdict.OTHER;
        }
    }

    private static AddressMatch address(
        final String value,
        final boolean negated,
        final Map<String, List<String>> sets,
        final String family,
        final String table)
    {
        final String text = (negated ? "!= " : "") + value;
        if (value.startsWith("@"))
        {
            final List<String> elements = sets.get(setKey(family, table, value.substring(1)));
            return AddressMatch.of(elements == null ? List.of() : elements, negated, text);
        }
        if (value.startsWith("{"))
        {
            return AddressMatch.of(elements(value.substring(1, value.length() - 1)), negated, text);
        }
        return AddressMatch.of(List.of(value), negated, text);
    }

    /** Set elements: {@code 1.2.3.4, 10.0.0.0/8 timeout 1h expires 59m, 10.1.0.1-10.1.0.9}; first word of each. */
    private static List<String> elements(final String inside)
    {
        final List<String> elements = new ArrayList<>();
        for (final String element : inside.split(","))
        {
            final String trimmed = element.trim();
            if (!trimmed.isEmpty())
            {
                elements.add(trimmed.split("\\s+")[0]);
            }
        }
        return elements;
    }

    private static String setKey(final String family, final String table, final String set)
    {
        return family + " " + table + " " + set;
    }

    /**
     * The ruleset as statements: trimmed lines, with a line whose braces do not balance (an anonymous set or a set's
     * elements printed over several lines) joined with the lines that close them. A block opener ({@code chain x {})
     * is a statement of its own.
     */
    static List<Statement> statements(final String text)
    {
        final List<Statement> statements = new ArrayList<>();
        StringBuilder pending = null;
        for (final String raw : text.split("\n"))
        {
            String line = raw.trim();
            int handle = NO_HANDLE;
            final int comment = line.lastIndexOf(HANDLE_COMMENT);
            if (comment >= 0 && !line.startsWith("#"))
            {
                handle = parseHandle(line.substring(comment + HANDLE_COMMENT.length()));
                line = line.substring(0, comment).trim();
            }
            if (pending != null)
            {
                pending.append(' ').append(line);
                if (balance(pending) <= 0)
                {
                    statements.add(new Statement(pending.toString(), handle));
                    pending = null;
                }
                continue;
            }
            if (line.isEmpty())
            {
                continue;
            }
            if ((line.endsWith("{") && !line.contains("=")) || balance(line) <= 0)
            {
                statements.add(new Statement(line, handle));
                continue;
            }
            pending = new StringBuilder(line);
        }
        if (pending != null)
        {
            statements.add(new Statement(pending.toString(), NO_HANDLE));
        }
        return statements;
    }

    private static int parseHandle(final String text)
    {
        try
        {
            return Integer.parseInt(text.trim());
        }
        catch (final NumberFormatException ex)
        {
            return NO_HANDLE;
        }
    }

    /** Open minus closed braces outside double quotes. */
    private static int balance(final CharSequence text)
    {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '{')
            {
                depth++;
            }
            else if (!quoted && c == '}')
            {
                depth--;
            }
        }
        return depth;
    }

    /** Words of a rule; a {@code { ... }} group and a quoted string are one word each. */
    static List<String> tokens(final String statement)
    {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < statement.length(); i++)
        {
            final char c = statement.charAt(i);
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '{')
            {
                depth++;
            }
            else if (!quoted && c == '}')
            {
                depth--;
            }
            if (Character.isWhitespace(c) && !quoted && depth == 0)
            {
                if (word.length() > 0)
                {
                    words.add(word.toString());
                    word.setLength(0);
                }
            }
            else
            {
                word.append(c);
            }
        }
        if (word.length() > 0)
        {
            words.add(word.toString());
        }
        return words;
    }

    private static String unquote(final String word)
    {
        return word.length() >= 2 && word.startsWith("\"") && word.endsWith("\"") ?
            word.substring(1, word.length() - 1) : word;
    }
}
