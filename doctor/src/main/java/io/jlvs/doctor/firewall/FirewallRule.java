package io.jlvs.doctor.firewall;

/**
 * One rule as the doctor sees it: its chain, its source and destination matches (null when the rule does not match
 * on them), its interface matches (null likewise), whether it matches established connections only, its verdict,
 * its text as the tool printed it, and the command that deletes it (empty when unknown: nft needs the rule's handle,
 * which {@code nft -a} prints).
 */
public record FirewallRule(
    FirewallChain chain,
    AddressMatch source,
    AddressMatch destination,
    InterfaceMatch inputInterface,
    InterfaceMatch outputInterface,
    boolean establishedOnly,
    Verdict verdict,
    String text,
    String deleteCommand)
{
    /** Whether a packet from {@code address} can match (true when the rule does not look at the source). */
    public boolean sourceMayBe(final int address)
    {
        return source == null || source.covers(address);
    }

    /** Whether a packet to {@code address} can match (true when the rule does not look at the destination). */
    public boolean destinationMayBe(final int address)
    {
        return destination == null || destination.covers(address);
    }

    /** Whether a packet leaving by {@code interfaceName} can match (true when unknown or unrestricted). */
    public boolean outputMayBe(final String interfaceName)
    {
        return outputInterface == null || interfaceName == null || outputInterface.matches(interfaceName);
    }

    /** Whether a packet arriving on {@code interfaceName} can match (true when unknown or unrestricted). */
    public boolean inputMayBe(final String interfaceName)
    {
        return inputInterface == null || interfaceName == null || inputInterface.matches(interfaceName);
    }

    /** {@code nft: inet filter output: ip saddr 198.18.0.100 drop}. */
    public String describe()
    {
        return chain.label() + ": " + text;
    }
}
