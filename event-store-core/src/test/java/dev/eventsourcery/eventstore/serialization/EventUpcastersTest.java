package dev.eventsourcery.eventstore.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class EventUpcastersTest {

    private static final Upcaster A1 = Upcaster.of("A", 1, json -> json.put("v", 2));
    private static final Upcaster A2_TO_B = Upcaster.renaming("A", 2, "B", json -> json.put("v", 3));
    private static final Upcaster B3 = Upcaster.of("B", 3, json -> json.put("v", 4));
    private static final Upcaster OLD_TO_A = Upcaster.renaming("Old", 7, "A", json -> json);

    @Test
    void aChainFollowsEveryStepFromTheStoredVersionAcrossRenames() {
        EventUpcasters upcasters = EventUpcasters.of(B3, A2_TO_B, A1);

        assertThat(upcasters.chainFrom("A", 1)).isEqualTo(new EventUpcasters.Chain(List.of(A1, A2_TO_B, B3), "B", 4));
        assertThat(upcasters.chainFrom("A", 2)).isEqualTo(new EventUpcasters.Chain(List.of(A2_TO_B, B3), "B", 4));
        assertThat(upcasters.chainFrom("B", 4)).isEqualTo(new EventUpcasters.Chain(List.of(), "B", 4));
        assertThat(upcasters.chainFrom("C", 1)).isEqualTo(new EventUpcasters.Chain(List.of(), "C", 1));
        assertThat(upcasters.upcasts("A")).isTrue();
        assertThat(upcasters.upcasts("B")).isTrue();
        assertThat(upcasters.upcasts("C")).isFalse();
    }

    @Test
    void theUpcastJsonIsWhatEveryStepMadeOfIt() {
        EventUpcasters.Chain chain = EventUpcasters.of(A1, A2_TO_B, B3).chainFrom("A", 1);
        var json = new JacksonEventSerializer().readTree("{\"v\":1}");
        for (Upcaster upcaster : chain.upcasters()) {
            json = upcaster.upcast(json);
        }
        assertThat(json.get("v").asInt()).isEqualTo(4);
    }

    @Test
    void theTypeNamesReadAsATypeIncludeEveryNameRenamedIntoIt() {
        EventUpcasters upcasters = EventUpcasters.of(A1, A2_TO_B, B3, OLD_TO_A);

        assertThat(upcasters.typeNamesReadAs(Set.of("B"))).containsExactlyInAnyOrder("B", "A", "Old");
        assertThat(upcasters.typeNamesReadAs(Set.of("A"))).containsExactlyInAnyOrder("A", "Old");
        assertThat(upcasters.typeNamesReadAs(Set.of("C"))).containsExactly("C");
    }

    @Test
    void twoUpcastersOfOneStepAreRefusedNamingBoth() {
        Upcaster other = Upcaster.of("A", 1, json -> json);
        assertThatThrownBy(() -> EventUpcasters.of(A1, other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type 'A' at schema version 1")
                .hasMessageContaining(A1.toString())
                .hasMessageContaining(other.toString());
    }

    @Test
    void anUpcasterFromVersionZeroOrWithABlankNameIsRefused() {
        assertThatThrownBy(() -> EventUpcasters.of(Upcaster.of("A", 0, json -> json)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("versions start at 1");
        assertThatThrownBy(() -> EventUpcasters.of(Upcaster.of(" ", 1, json -> json)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank type");
        assertThatThrownBy(() -> EventUpcasters.of(Upcaster.renaming("A", 1, "", json -> json)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank toType");
    }

    @Test
    void storedJsonThatIsNotAnObjectCannotBeUpcast() {
        assertThatThrownBy(() -> new JacksonEventSerializer().readTree("[1, 2]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an object");
    }
}
