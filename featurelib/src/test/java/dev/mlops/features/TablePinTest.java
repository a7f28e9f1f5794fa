package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.tables.TableName;
import dev.mlops.core.tables.TableVersion;
import org.junit.jupiter.api.Test;

class TablePinTest {
  private static final TableVersion V4 = new TableVersion(TableName.parse("features.customer_spend_v1"), 4);

  @Test
  void aPinNamesItsHolderAndTheTableVersion() {
    TablePin pin = new TablePin("model fraud v3", V4);
    assertThat(pin.toString()).isEqualTo("model fraud v3 -> features.customer_spend_v1@v4");
    assertThat(pin).isEqualTo(new TablePin("model fraud v3", V4));
  }

  @Test
  void aPinWithoutHolderOrWithANegativeVersionIsRejected() {
    assertThatThrownBy(() -> new TablePin(" ", V4)).hasMessage("holder is blank");
    assertThatThrownBy(() -> new TablePin(null, V4)).hasMessage("holder == null");
    assertThatThrownBy(() -> new TablePin("model fraud v3", new TableVersion(V4.table(), -1)))
        .hasMessage("version < 0: features.customer_spend_v1@v-1");
  }
}
